import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Verifier

/// `civic verify`: checks a certificate document (or a transaction) against a receipt or a node, trusting
/// only the genesis file (`docs/verifier.md`). Exit 0 valid, 1 not valid, 2 could not check.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a certificate against the ledger, trusting nothing but the genesis file.",
        discussion: """
            Offline, from a receipt:
              civic verify --file cert.pdf --number N --code CODE \\
                --genesis genesis.json --receipt r.json
            Online, asking a node (for the latest state):
              civic verify --file cert.pdf --number N --code CODE \\
                --genesis genesis.json --node http://127.0.0.1:8080
            N and CODE are the number and verification code printed on the certificate.
            A transaction: --receipt tx-receipt.json, or --tx HASH --node URL.

            The document is hashed on this machine. Every proof is checked here — the
            validators' signatures, the validator-set changes since genesis, the state
            proof and the inclusion proof — so a node or a receipt that lies is caught.
            A receipt shows the ledger as of one block: a revocation recorded later is
            not in it (online mode asks for the latest block). --max-age refuses older
            receipts. Exit status: 0 valid, 1 not valid (revoked, superseded, forged,
            another document), 2 could not check (unreadable file, unreachable node,
            receipt too old).
            """
    )

    @Option(help: "The network's genesis file: the only thing trusted.")
    var genesis: String

    @Option(help: "The certificate document (PDF or any file); it is hashed locally.")
    var file: String?

    @Option(help: "The certificate number as printed on it.")
    var number: String?

    @Option(help: "The verification code printed on it (ISSUER-SECRET).")
    var code: String?

    @Option(help: "A receipt file (JSON or binary) from `civic receipt` or the API.")
    var receipt: String?

    @Option(help: "A node's API to fetch a fresh receipt from (nothing it says is trusted).")
    var node: String?

    @Option(help: "With --node: verify this transaction (64 hex digits) instead of a certificate.")
    var tx: String?

    @Option(
        name: .customLong("max-age"),
        help: "Refuse a receipt whose block is older than this, e.g. 30d, 12h, 90m, 600s."
    )
    var maxAge: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let report: VerificationReport
        do {
            report = try await check()
        } catch let error as InputError where json {
            let document = JSONValue.object([
                JSONMember("verdict", .string("could_not_check")),
                JSONMember("reason", .string(error.message)),
            ])
            print(document.serialized())
            throw error
        }
        print(json ? report.json.serialized() : report.text)
        if !report.isValid { throw CheckFailed(message: "") }
    }

    private func check() async throws -> VerificationReport {
        let genesis: Genesis
        do { genesis = try Genesis.parse(json: try FileInput.read(self.genesis)) } catch let error as GenesisError {
            throw InputError(message: "\(self.genesis): \(error)")
        }
        let limit = try maxAge.map(Self.seconds)
        let hash = genesis.suite.suite.hashFunction
        let document = try file.map { hash.hash(try FileInput.read($0)) }
        let code = try self.code.map { try CertificateOptions.code($0, option: "--code") }
        let online: Bool
        let receipt: Receipt
        switch (self.receipt, node) {
        case (let path?, nil):
            online = false
            do { receipt = try Receipt(file: try FileInput.read(path)) } catch let error as ReceiptError {
                throw InputError(message: "\(path): \(error)")
            }
        case (nil, let node?):
            online = true
            let client = NodeClient(node)
            if let tx {
                guard let bytes = Hex.decode(tx), Digest(bytes: bytes) != nil else {
                    throw InputError(message: "--tx must be 64 hex digits")
                }
                receipt = try await client.receipt("/v1/txs/\(tx.lowercased())/receipt")
            } else {
                guard let number, let code, document != nil else {
                    throw InputError(message: "online verification of a certificate needs --number, --code and --file")
                }
                let subject = CertificateRef(code: code, number: number, hash: hash)
                receipt = try await client.receipt(NodeClient.certificateReceiptPath(subject))
            }
        default:
            throw InputError(message: "give either --receipt FILE (offline) or --node URL (online)")
        }
        let header = receipt.header
        let now = UInt64(max(0, Date().timeIntervalSince1970))
        if let limit, now > header.time, now - header.time > limit {
            throw InputError(
                message:
                    "the receipt is from block \(header.height) at \(UTCTimestamp.format(header.time)), older than --max-age \(maxAge ?? ""); fetch a fresh one (civic receipt) or verify online (--node)"
            )
        }
        let freshness =
            online
            ? "Checked online: block \(header.height) was the latest the node had committed. Nothing the node said was trusted; every proof was checked here."
            : "A receipt shows the ledger as of block \(header.height) (\(UTCTimestamp.format(header.time))): anything recorded later, such as a revocation, is not in it. To see the latest state, verify online with --node."
        switch receipt.content {
        case .certificate(let evidence):
            guard let document, let number, let code else {
                throw InputError(
                    message: "a certificate is checked with --file, --number and --code (as printed on the certificate)"
                )
            }
            let verdict = CertificateVerifier.verify(
                documentDigest: document,
                number: number,
                code: code,
                evidence: evidence,
                genesis: genesis
            )
            var report = VerificationReport(certificate: verdict, number: number)
            report.notes.append(freshness)
            report.fields.append(JSONMember("mode", .string(online ? "online" : "offline")))
            return report
        case .transaction(let evidence, let handOffs):
            let verdict = TransactionVerifier.verify(evidence, handOffs: handOffs, genesis: genesis)
            return VerificationReport(transaction: verdict, payload: evidence.transaction.transaction.payload.name)
        }
    }

    /// `30d`, `12h`, `90m`, `600s` or a bare number of seconds.
    static func seconds(_ text: String) throws -> UInt64 {
        let units: [Character: UInt64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var digits = Substring(text)
        var unit: UInt64 = 1
        if let last = text.last, let factor = units[last] {
            digits = digits.dropLast()
            unit = factor
        }
        guard let value = UInt64(digits), value.multipliedReportingOverflow(by: unit).overflow == false else {
            throw InputError(message: "--max-age \(text): expected a duration such as 30d, 12h, 90m or 600s")
        }
        return value * unit
    }
}
