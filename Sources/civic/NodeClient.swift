import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Verifier

/// What `civic` asks a node's API (`docs/api.md`): the chain, an account's next sequence, submitting a
/// signed transaction and following it. Problem documents from the node become one-line errors.
struct NodeClient {
    let base: String

    init(_ url: String) {
        base = url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    func get(_ path: String) async throws -> (status: Int, document: JSONValue) {
        let response = try await APIRequest.send("GET", base + path)
        return (response.status, try parse(response, path))
    }

    /// The network a transaction is signed for, as the node states it: its chain id and genesis hash. A node
    /// that lies only makes the signature useless elsewhere.
    func network() async throws -> NetworkID {
        let (status, document) = try await get("/v1/status")
        guard status == 200, case .string(let text)? = document["chain_id"], let chain = ChainID(text),
            case .string(let hex)? = document["genesis_hash"], let bytes = Hex.decode(hex),
            let genesisHash = Digest(bytes: bytes)
        else {
            throw InputError(message: "\(base) did not answer /v1/status as a CivicLedger node")
        }
        return NetworkID(chainID: chain, genesisHash: genesisHash)
    }

    /// The network's crypto suite, as the node states it (a verifier takes it from the genesis file instead).
    func suite() async throws -> CryptoSuiteID {
        let (status, document) = try await get("/v1/status")
        guard status == 200, case .string(let text)? = document["suite"], let suite = CryptoSuiteID(rawValue: text)
        else {
            throw InputError(message: "\(base) did not answer /v1/status with its crypto suite")
        }
        return suite
    }

    /// A receipt in its binary form (`docs/receipts.md`); what the node says about it is not trusted, only
    /// read: `civic verify` checks it.
    func receipt(_ path: String) async throws -> Receipt {
        let separator = path.contains("?") ? "&" : "?"
        let response = try await APIRequest.send("GET", base + path + separator + "format=binary")
        guard response.status == 200 else {
            let document = try parse(response, path)
            throw InputError(message: "the node has no receipt: \(problem(document))")
        }
        do { return try Receipt(binary: response.body) } catch {
            throw InputError(message: "the node's receipt is unreadable: \(error)")
        }
    }

    /// The path of a certificate's receipt: its issuer and key (never the number, code or document).
    static func certificateReceiptPath(_ subject: CertificateRef) -> String {
        "/v1/certificates/\(subject.issuer.value)/\(subject.key.hex)/receipt"
    }

    /// `text` percent-encoded for a query string: only RFC 3986's unreserved characters stay as they are.
    static func queryValue(_ text: String) -> String {
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The member `key` acts for.
    func member(of key: PublicKey) async throws -> OrgID {
        let (status, document) = try await get("/v1/accounts/\(key.hex)")
        guard status == 200, case .string(let text)? = document["member"], let member = OrgID(text) else {
            throw InputError(message: "the node does not know this key: \(problem(document))")
        }
        return member
    }

    /// The sequence the next transaction from `key` must carry.
    func nextSequence(of key: PublicKey) async throws -> UInt64 {
        let (status, document) = try await get("/v1/accounts/\(key.hex)")
        guard status == 200, case .integer(let next)? = document["next_sequence"], next >= 0 else {
            throw InputError(message: "the node does not know this key: \(problem(document))")
        }
        return UInt64(next)
    }

    /// Submits a signed transaction; returns its hash.
    func submit(_ transaction: SignedTransaction) async throws -> String {
        let response = try await APIRequest.send(
            "POST",
            base + "/v1/txs",
            body: transaction.canonicalBytes,
            contentType: "application/octet-stream"
        )
        let document = try parse(response, "/v1/txs")
        guard response.status == 202, case .string(let hash)? = document["hash"] else {
            throw CheckFailed(message: "refused: \(problem(document))")
        }
        return hash
    }

    /// Polls the transaction until it is committed or rejected, or `timeout` seconds pass.
    func wait(for hash: String, timeout: Double = 60) async throws -> JSONValue {
        let start = Date()
        let deadline = start.addingTimeInterval(timeout)
        var reported = 0
        while Date() < deadline {
            let (status, document) = try await get("/v1/txs/\(hash)")
            if status == 200, case .string(let state)? = document["status"], state != "pending" { return document }
            // Progress on standard error, every 5 s, so a slow network does not look like a hang.
            let waited = Int(Date().timeIntervalSince(start))
            if waited / 5 > reported {
                reported = waited / 5
                printError("still waiting for a block to commit it (\(waited) s of at most \(Int(timeout)) s)")
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw InputError(message: "transaction \(hash) not committed within \(Int(timeout)) s")
    }

    private func parse(_ response: APIRequest.Response, _ path: String) throws -> JSONValue {
        // try?: converted to an error naming the route and status.
        guard let document = try? JSONParser.parse(response.body) else {
            throw InputError(message: "\(base)\(path) answered \(response.status) with something that is not JSON")
        }
        return document
    }

    private func problem(_ document: JSONValue) -> String {
        let code: String
        if case .string(let text)? = document["code"] { code = text } else { code = "?" }
        let detail: String
        if case .string(let text)? = document["detail"] { detail = text } else { detail = document.serialized() }
        return "\(detail) (\(code))"
    }
}

/// Prints a transaction's status in words, or as JSON; exit 1 when it was rejected.
func report(_ document: JSONValue, json: Bool) throws {
    if json { print(document.serialized()) }
    func field(_ name: String) -> String? {
        switch document[name] {
        case .string(let text)?: return text
        case .integer(let value)?: return "\(value)"
        case .bool(let value)?: return value ? "true" : "false"
        default: return nil
        }
    }
    let hash = field("hash") ?? "?"
    switch field("status") {
    case "committed":
        let applied = field("applied") == "true"
        if !json {
            print(
                applied
                    ? "committed at height \(field("height") ?? "?"): \(field("message") ?? "applied")"
                    : "committed at height \(field("height") ?? "?") but rejected: \(field("message") ?? "") (\(field("reason") ?? ""))"
            )
        }
        if !applied { throw CheckFailed(message: "transaction \(hash) was rejected by the ledger rules") }
    case "pending":
        if !json { print("pending: waiting in the mempool for a block") }
    case "rejected":
        if !json { print("rejected: \(field("message") ?? "") (\(field("reason") ?? ""))") }
        throw CheckFailed(message: "transaction \(hash) was refused")
    default:
        if !json { print(document.serialized()) }
    }
}
