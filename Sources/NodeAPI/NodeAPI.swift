import Hummingbird
import HummingbirdCore
import LedgerCore
import LedgerCrypto
import Logging
import NIOCore
import Node
import Storage

/// The node's HTTP API (`docs/api.md`): submit transactions, follow them, read status and blocks, and the
/// Prometheus metrics. Read endpoints are public; the only way to change state is a correctly signed
/// transaction. Every error is an RFC 9457 problem document with a stable code.
public enum NodeAPI {
    /// The largest request body accepted: a maximum transaction, hex-encoded in JSON, with room.
    public static let maximumBodyBytes = 2 * SignedTransaction.maximumEncodedSize + 4096
    /// The largest batch body accepted: 10,000 transactions of about 800 bytes as JSON hex, with room. A
    /// batch of larger transactions is split by its client; a quarter of the body budget must hold one.
    public static let maximumBatchBodyBytes = 16 << 20

    /// The routes with their middleware: problem documents for every error, the client every limit counts
    /// (reading `X-Forwarded-For` only from `trustedProxies`), request bodies read within `http`, and the
    /// rate limit per client — `limits` on requests (nil for no limit at all) and `transactionLimits` on the
    /// transactions submitted (nil for none).
    public static func router(
        node: LedgerNode,
        limits: RateLimiter.Limits? = .standard,
        transactionLimits: RateLimiter.Limits? = .standardTransactions,
        http: HTTPLimits = HTTPLimits(),
        bodyBudget: BodyBudget? = nil,
        trustedProxies: [IPAddressRange] = []
    ) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.middlewares.add(ProblemMiddleware(endpoints: endpoints))
        router.middlewares.add(
            ClientMiddleware(
                trustedProxies: trustedProxies,
                budget: bodyBudget ?? BodyBudget(total: http.bodyMemoryBytes),
                bodyTimeout: http.bodyTimeout
            )
        )
        if let limits {
            router.middlewares.add(
                RateLimitMiddleware(
                    limiter: RateLimiter(limits),
                    transactions: transactionLimits.map { RateLimiter($0) }
                )
            )
        }
        for endpoint in endpoints {
            let path = RouterPath(endpoint.path.replacing("{", with: ":").replacing("}", with: ""))
            router.on(path, method: endpoint.method) { request, context -> Response in
                try await endpoint.handle(APIRequest(request: request, context: context), node)
            }
        }
        return router
    }

    /// The API's HTTP server on `address`: `router(…)` served within `http` — its idle timeout, at most
    /// `http.maximumConnections` open connections and `http.maximumConnectionsPerClient` from one client
    /// (counted in `connections`, made here when nil; trusted proxies exempt).
    public static func application(
        node: LedgerNode,
        address: BindAddress,
        limits: RateLimiter.Limits? = .standard,
        transactionLimits: RateLimiter.Limits? = .standardTransactions,
        http: HTTPLimits = HTTPLimits(),
        trustedProxies: [IPAddressRange] = [],
        connections: ConnectionCounter? = nil,
        bodyBudget: BodyBudget? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in },
        logger: Logger
    ) -> some ApplicationProtocol {
        let counter =
            connections
            ?? ConnectionCounter(maximumPerClient: http.maximumConnectionsPerClient, trustedProxies: trustedProxies)
        return Application(
            router: router(
                node: node,
                limits: limits,
                transactionLimits: transactionLimits,
                http: http,
                bodyBudget: bodyBudget,
                trustedProxies: trustedProxies
            ),
            server: http.server(connections: counter),
            configuration: ApplicationConfiguration(
                address: address,
                availableConnectionsDelegate: MaximumAvailableConnections(http.maximumConnections, logger: logger)
            ),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// Every route, as `docs/openapi.yaml` names it (`{parameter}` for a path segment).
    public static let endpoints: [Endpoint] = [
        Endpoint(.post, "/v1/txs") { try await submit($0, node: $1) },
        Endpoint(.post, "/v1/txs/batch") { try await submitBatch($0, node: $1) },
        Endpoint(.get, "/v1/txs/{hash}") { try transaction($0["hash"], node: $1) },
        Endpoint(.get, "/v1/txs/{hash}/receipt") { try transactionReceipt($0["hash"], request: $0.request, node: $1) },
        Endpoint(.get, "/v1/certificates/{issuer}/{key}") { try certificate($0["issuer"], $0["key"], node: $1) },
        Endpoint(.get, "/v1/certificates/{issuer}/{key}/receipt") {
            try certificateReceipt($0["issuer"], $0["key"], request: $0.request, node: $1)
        },
        Endpoint(.get, "/v1/batches/{root}/receipt") { try batchReceipt($0["root"], request: $0.request, node: $1) },
        Endpoint(.get, "/v1/projects/{project}") { try project(named: $0["project"], node: $1) },
        Endpoint(.get, "/v1/charities/{charity}/projects/{project}") {
            try project(charity: $0["charity"], project: $0["project"], node: $1)
        },
        Endpoint(.get, "/v1/programmes/{owner}/{name}") {
            try programme(owner: $0["owner"], name: $0["name"], node: $1)
        },
        Endpoint(.get, "/v1/subsidies/conflicts") { try subsidyConflicts($0.request, node: $1) },
        Endpoint(.get, "/v1/checkpoint") { try checkpoint($0.request, node: $1) },
        Endpoint(.get, "/v1/evidence") { try evidence(node: $1) },
        Endpoint(.get, "/v1/validators") { try validators(node: $1) },
        Endpoint(.get, "/v1/members") { try members(node: $1) },
        Endpoint(.get, "/v1/headers/{height}") { try header($0["height"], node: $1) },
        Endpoint(.get, "/v1/blocks/{height}") { try block($0["height"], node: $1) },
        Endpoint(.get, "/v1/accounts/{key}") { try account($0["key"], node: $1) },
        Endpoint(.get, "/v1/status") { try status($1) },
        Endpoint(.get, "/metrics") { metrics($1) },
        Endpoint(.get, "/verify") { try VerifyPage.response($1) },
    ]

    /// `GET /metrics`: Prometheus text.
    static func metrics(_ node: LedgerNode) -> Response {
        let status = node.consensus.status
        let committed = node.consensus.committedHeight()
        let text = node.metrics.render(
            height: status.height,
            round: status.round,
            peers: node.network.peers.count,
            mempoolTransactions: node.mempool.count,
            mempoolBytes: node.mempool.bytes,
            syncLag: node.sync.bestPeerHeight > committed ? node.sync.bestPeerHeight - committed : 0,
            signaturesMadeElsewhere: node.consensus.signaturesMadeElsewhere
        )
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    // MARK: - Transactions

    /// `POST /v1/txs[?wait=N]`: a signed transaction as its canonical bytes (`application/octet-stream`) or as
    /// JSON `{"tx": "<hex>"}`. 202 with the hash when admitted (with `wait`, 200 and the committed status once a
    /// block holds it, or 202 after N seconds); a problem document naming the reason otherwise. Counts one
    /// transaction against the client's quota once it decodes.
    static func submit(_ api: APIRequest, node: LedgerNode) async throws -> Response {
        let request = api.request
        let bytes = try await body(of: api, upTo: maximumBodyBytes)
        let encoded: [UInt8]
        if request.headers[.contentType]?.hasPrefix("application/json") == true {
            // try?: a body that does not parse is malformed; the problem below says what was expected.
            guard let document = try? JSONParser.parse(bytes), case .string(let text)? = document["tx"],
                let decoded = Hex.decode(text)
            else {
                throw ProblemDocument.malformedBody(
                    "expected a JSON object {\"tx\": \"<hex of the signed transaction>\"}"
                )
            }
            encoded = decoded
        } else {
            encoded = bytes
        }
        let transaction: SignedTransaction
        do { transaction = try SignedTransaction(encoded: encoded) } catch {
            throw ProblemDocument(.badRequest, "malformed_transaction", "Malformed transaction", "\(error)")
        }
        let wait = try waitSeconds(request)
        try api.context.transactionQuota?.charge(1)
        let hash = transaction.id(hash: node.consensus.genesis.suite.suite.hashFunction)
        switch node.submit([transaction])[0] {
        case .success:
            let store = node.store
            if let wait,
                await node.commitWaiters.wait(
                    for: hash,
                    upTo: .seconds(Int64(wait)),
                    isCommitted: {
                        // A read that fails ends the wait too: the lookup below reads again and answers
                        // `ledger_unreadable` rather than "pending".
                        do { return try store.transactionLocation(hash) != nil } catch { return true }
                    }
                )
            {
                return try self.transaction(hash, node: node)
            }
            return json(
                .object([JSONMember("hash", .string(hash.hex)), JSONMember("status", .string("pending"))]),
                status: .accepted
            )
        case .failure(let refusal):
            let status: HTTPResponse.Status
            switch refusal {
            case .full, .senderQuota, .ledgerUnreadable: status = .serviceUnavailable
            case .duplicate: status = .conflict
            default: status = .unprocessableContent
            }
            throw ProblemDocument(status, refusal.code, "Transaction refused", refusal.description)
        }
    }

    /// The longest `?wait=` a submission may ask for, in seconds.
    public static let maximumWaitSeconds = 60

    /// `?wait=N`: hold the answer until the transaction is committed or N seconds pass (then 202 pending).
    private static func waitSeconds(_ request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters.get("wait") else { return nil }
        guard let seconds = Int(text), (1...maximumWaitSeconds).contains(seconds) else {
            throw ProblemDocument(
                .badRequest,
                "malformed_query",
                "Malformed query",
                "wait is a number of seconds from 1 to \(maximumWaitSeconds)"
            )
        }
        return seconds
    }

    /// The most transactions one batch may carry.
    public static let maximumBatch = 10_000

    /// `POST /v1/txs/batch`: `{"txs": ["<hex>", …]}` as JSON, or as `application/octet-stream` each signed
    /// transaction's canonical bytes after its length (4 bytes, big-endian) — half the bytes and no JSON or
    /// hex work for either side. Answers 200 with one entry per transaction: its hash, or the refusal's code;
    /// an empty batch, or one holding a transaction that does not decode, is malformed and nothing of it is
    /// admitted.
    ///
    /// Cheap refusal first (`docs/api.md`, "Limits"): the whole batch is charged to the client's transaction
    /// quota once it is framed; then each transaction's envelope (`TransactionEnvelope`) decides what it can —
    /// another chain, a sender that can send nothing — and only the rest are decoded whole and admitted
    /// together (signatures verified as one batch across cores). A transaction refused by its envelope is
    /// not decoded further, so its answer is that refusal even if its payload would not have decoded.
    static func submitBatch(_ api: APIRequest, node: LedgerNode) async throws -> Response {
        let request = api.request
        let bytes = try await body(of: api, upTo: maximumBatchBodyBytes, batch: true)
        let encoded =
            request.headers[.contentType]?.hasPrefix("application/octet-stream") == true
            ? try binaryBatch(bytes) : try jsonBatch(bytes)
        guard !encoded.isEmpty else {
            throw ProblemDocument.malformedBody(
                "a batch holds from 1 to \(maximumBatch) transactions; this one is empty"
            )
        }
        try api.context.transactionQuota?.charge(encoded.count)
        let envelopes = try encoded.indices.map { index in
            do { return try TransactionEnvelope(peeking: encoded[index]) } catch {
                throw malformedTransaction(index, error)
            }
        }
        var results: [Result<Digest, MempoolRefusal>?] = node.envelopeRefusals(envelopes).map { refusal in
            refusal.map { .failure($0) }
        }
        let rest = results.indices.filter { results[$0] == nil }
        let transactions = try rest.map { index in
            do { return try SignedTransaction(encoded: encoded[index]) } catch {
                throw malformedTransaction(index, error)
            }
        }
        node.countRefused(results.compactMap { if case .failure(let refusal)? = $0 { refusal } else { nil } })
        for (index, result) in zip(rest, node.submit(transactions)) { results[index] = result }
        let hash = node.consensus.genesis.suite.suite.hashFunction
        let answer = zip(encoded, results).map { bytes, result -> (id: Digest, code: String?) in
            switch result {
            case .success(let id)?: return (id, nil)
            case .failure(let refusal)?:
                // The hash of the bytes received: decoding is canonical (one encoding per value, nothing left
                // over), so for a transaction that decodes it is its id; one refused by its envelope alone was
                // never decoded, and its bytes may be no transaction's.
                return (hash.hash(bytes), refusal.code)
            case nil:  // unreachable: every transaction the envelopes left was submitted
                return (hash.hash(bytes), "internal_error")
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: batchAnswer(answer)))
        )
    }

    /// `{"results":[{"hash":"<hex>"},{"hash":"<hex>","code":"<code>"},…]}` written compactly, straight to bytes:
    /// for a batch of junk this answer is the largest part of refusing it, and 10,000 entries built as a
    /// JSON tree first cost a node twice as much (`docs/reliability.md`, "Junk transactions").
    static func batchAnswer(_ entries: [(id: Digest, code: String?)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + entries.count * 110)
        out.append(contentsOf: #"{"results":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"hash":""#.utf8)
            entry.id.withUnsafeBytes { Hex.append($0, to: &out) }
            out.append(UInt8(ascii: "\""))
            if let code = entry.code {
                out.append(contentsOf: #","code":"#.utf8)
                JSONValue.quote(code, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}\n".utf8)
        return out
    }

    private static func malformedTransaction(_ index: Int, _ error: any Error) -> ProblemDocument {
        ProblemDocument(.badRequest, "malformed_transaction", "Malformed transaction", "transaction \(index): \(error)")
    }

    /// The request's body within the API's limits (`BodyReader`); a `batch` body draws on the budget's batch
    /// share (`BodyBudget`).
    private static func body(of api: APIRequest, upTo limit: Int, batch: Bool = false) async throws -> [UInt8] {
        guard let reader = api.context.bodyReader else {
            throw ProblemDocument(
                .internalServerError,
                "internal_error",
                "Internal error",
                "no body reader: the router was built without ClientMiddleware"
            )
        }
        return try await reader.read(api.request, upTo: limit, batch: batch)
    }

    /// The transactions of a JSON batch, as bytes, undecoded.
    private static func jsonBatch(_ bytes: [UInt8]) throws -> [[UInt8]] {
        // try?: a body that does not parse is malformed; the problem below says what was expected.
        guard let document = try? JSONParser.parse(bytes), case .array(let items)? = document["txs"],
            items.count <= maximumBatch
        else {
            throw ProblemDocument.malformedBody(
                "expected {\"txs\": [\"<hex>\", …]} with at most \(maximumBatch) transactions"
            )
        }
        return try items.enumerated().map { index, item in
            guard case .string(let text) = item, let bytes = Hex.decode(text),
                bytes.count <= SignedTransaction.maximumEncodedSize
            else {
                throw ProblemDocument(
                    .badRequest,
                    "malformed_transaction",
                    "Malformed transaction",
                    "transaction \(index): not hex of at most \(SignedTransaction.maximumEncodedSize) bytes"
                )
            }
            return bytes
        }
    }

    /// The transactions of a binary batch, as bytes, undecoded.
    private static func binaryBatch(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var transactions: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard transactions.count < maximumBatch else {
                throw ProblemDocument.malformedBody("a batch holds at most \(maximumBatch) transactions")
            }
            guard bytes.count - offset >= 4 else {
                throw ProblemDocument.malformedBody(
                    "transaction \(transactions.count): a length needs 4 bytes, \(bytes.count - offset) remain"
                )
            }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            guard length <= SignedTransaction.maximumEncodedSize, length <= bytes.count - offset else {
                throw ProblemDocument.malformedBody(
                    "transaction \(transactions.count) claims \(length) bytes; \(bytes.count - offset) remain"
                )
            }
            transactions.append(Array(bytes[offset..<offset + length]))
            offset += length
        }
        return transactions
    }

    /// `GET /v1/txs/{hash}`: committed (height, index, result), pending, or rejected (reason code).
    static func transaction(_ text: String, node: LedgerNode) throws -> Response {
        try transaction(try digest(text, code: "malformed_hash", what: "hash"), node: node)
    }

    static func transaction(_ id: Digest, node: LedgerNode) throws -> Response {
        let committed: TransactionLocation?
        do { committed = try node.store.transactionLocation(id) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        if let location = committed {
            var fields = [
                JSONMember("hash", .string(id.hex)),
                JSONMember("status", .string("committed")),
                JSONMember("height", .unsigned(location.height)),
                JSONMember("index", .unsigned(location.index)),
                JSONMember("applied", .bool(location.result.isApplied)),
                JSONMember("message", .string(location.result.message)),
            ]
            if let rejection = location.result.rejection {
                fields.append(JSONMember("reason", .string(rejection.rawValue)))
            }
            return json(.object(fields))
        }
        if node.mempool.contains(id) {
            return json(.object([JSONMember("hash", .string(id.hex)), JSONMember("status", .string("pending"))]))
        }
        if let refusal = node.tracker.refusal(of: id) {
            return json(
                .object([
                    JSONMember("hash", .string(id.hex)),
                    JSONMember("status", .string("rejected")),
                    JSONMember("reason", .string(refusal.code)),
                    JSONMember("message", .string(refusal.message)),
                ])
            )
        }
        throw ProblemDocument(
            .notFound,
            "unknown_transaction",
            "Unknown transaction",
            "this node has not seen \(id.hex)"
        )
    }

    /// `GET /v1/accounts/{public key hex}`: the member the key acts for and the sequence its next
    /// transaction must carry (after what is pending here), so clients can sign without keeping state.
    static func account(_ text: String, node: LedgerNode) throws -> Response {
        guard let key = Hex.decode(text), !key.isEmpty, key.count <= 65 else {
            throw ProblemDocument(.badRequest, "malformed_key", "Malformed key", "expected a public key as hex")
        }
        let state = node.store.state(at: node.consensus.committedHeight())
        let keys = node.consensus.genesis.rules.keys
        let stored: [UInt8]?
        do { stored = try state.value(at: keys.account(key)) } catch { throw ProblemDocument.ledgerUnreadable(error) }
        guard let stored else {
            throw ProblemDocument(.notFound, "unknown_account", "Unknown account", "no member account has this key")
        }
        let record: AccountRecord
        do { record = try AccountRecord(canonicalBytes: stored) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        let pending = node.mempool.nextSequence(after: key)
        return json(
            .object([
                JSONMember("member", .string(record.member.value)),
                JSONMember("active", .bool(record.active)),
                JSONMember("committed_next_sequence", .unsigned(record.nextSequence)),
                JSONMember("next_sequence", .unsigned(pending ?? record.nextSequence)),
            ])
        )
    }

    // MARK: - Chain

    /// `GET /v1/status`. A store that cannot be read is `ledger_unreadable` (503), never a zero hash or root.
    static func status(_ node: LedgerNode) throws -> Response {
        let committed = node.consensus.committedHeight()
        let hash = node.consensus.genesis.suite.suite.hashFunction
        let block: Block?
        let root: Digest
        do {
            block = try node.store.block(at: committed)
            root = try node.store.stateRoot(at: committed)
        } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        // Only the genesis state (height 0) has no block; its last block hash is all zeros.
        guard block != nil || committed == 0 else {
            throw ProblemDocument.ledgerUnreadable(
                LedgerStoreError.corrupt("no block at committed height \(committed)")
            )
        }
        return json(
            .object([
                JSONMember("chain_id", .string(node.consensus.genesis.chainID.value)),
                JSONMember("genesis_hash", .string(node.consensus.networkID.genesisHash.hex)),
                JSONMember("suite", .string(node.consensus.genesis.suite.rawValue)),
                JSONMember("node_id", .string(node.configuration.node.value)),
                JSONMember("height", .unsigned(committed)),
                JSONMember("last_block_hash", .string(block?.header.hash(hash).hex ?? Digest.zero.hex)),
                JSONMember("state_root", .string(root.hex)),
                JSONMember("round", .unsigned(node.consensus.status.round)),
                JSONMember("peers", .integer(Int64(node.network.peers.count))),
                JSONMember("catching_up", .bool(!node.sync.isCaughtUp)),
                JSONMember("mempool_transactions", .integer(Int64(node.mempool.count))),
            ])
        )
    }

    /// `GET /v1/blocks/{height}`.
    static func block(_ text: String, node: LedgerNode) throws -> Response {
        let (height, block) = try committedBlock(text, node: node)
        let hash = node.consensus.genesis.suite.suite.hashFunction
        return json(
            .object([
                JSONMember("height", .unsigned(height)),
                JSONMember("commit", try commit(at: height, node: node)),
                JSONMember("hash", .string(block.header.hash(hash).hex)),
                JSONMember("time", .unsigned(block.header.time)),
                JSONMember("proposer", .string(block.header.proposer.value)),
                JSONMember("previous_block_hash", .string(block.header.previousBlockHash.hex)),
                JSONMember("state_root", .string(block.header.stateRoot.hex)),
                JSONMember("transactions_root", .string(block.header.transactionsRoot.hex)),
                JSONMember("txs", .array(block.transactions.map { .string($0.id(hash: hash).hex) })),
            ])
        )
    }
}

/// The committed block at the height in the path: `malformed_height` or `unknown_block` otherwise.
func committedBlock(_ text: String, node: LedgerNode) throws -> (UInt64, Block) {
    // Up to Int64's maximum, as docs/openapi.yaml says (an OpenAPI integer bound cannot reach UInt64's).
    guard let height = UInt64(text), height > 0, height <= UInt64(Int64.max) else {
        throw ProblemDocument(
            .badRequest,
            "malformed_height",
            "Malformed height",
            "expected a height from 1 to \(Int64.max)"
        )
    }
    let stored: Block?
    do { stored = try node.store.block(at: height) } catch { throw ProblemDocument.ledgerUnreadable(error) }
    guard let block = stored else {
        throw ProblemDocument(
            .notFound,
            "unknown_block",
            "No such block",
            "this node has committed up to height \(node.consensus.committedHeight())"
        )
    }
    return (height, block)
}

/// The block's commit certificate: its round and the members whose precommits it holds (V(height)'s
/// validators by index), or null for a block stored without one. A store that cannot be read is
/// `ledger_unreadable`.
func commit(at height: UInt64, node: LedgerNode) throws -> JSONValue {
    let rules = node.consensus.genesis.rules
    let certificate: CommitCertificate?
    let validators: ValidatorSet
    do {
        certificate = try node.store.certificate(at: height)
        validators = try node.store.validatorSet(at: rules.validatorSetVersion(forHeight: height), rules: rules)
    } catch {
        throw ProblemDocument.ledgerUnreadable(error)
    }
    guard let certificate else { return .null }
    let signers = certificate.signatures.compactMap { signature -> JSONValue? in
        let index = Int(signature.validatorIndex)
        return index < validators.validators.count ? .string(validators.validators[index].id.value) : nil
    }
    return .object([JSONMember("round", .unsigned(certificate.round)), JSONMember("signers", .array(signers))])
}

/// Turns thrown problem documents — and anything else — into RFC 9457 responses. A path that a route has,
/// asked with a method it does not offer, is 405 `method_not_allowed` with `Allow` (RFC 9110 §15.5.6).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let endpoints: [Endpoint]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do { return try await next(request, context) } catch let problem as ProblemDocument {
            return problem.response
        } catch let error as HTTPError {
            let allowed = endpoints.methods(allowedOn: request.uri.path)
            if error.status == .notFound, !allowed.isEmpty {
                let methods = allowed.map(\.rawValue).joined(separator: ", ")
                var response = ProblemDocument(
                    .methodNotAllowed,
                    "method_not_allowed",
                    "Method not allowed",
                    "\(request.uri.path) answers \(methods), not \(request.method)"
                ).response
                response.headers[.allow] = methods
                return response
            }
            let detail =
                error.status == .notFound && (error.body ?? "").isEmpty
                ? "no route \(request.method) \(request.uri.path); the routes are in docs/openapi.yaml"
                : error.body ?? ""
            return ProblemDocument(error.status, "http_\(error.status.code)", error.status.reasonPhrase, detail)
                .response
        } catch {
            return ProblemDocument(.internalServerError, "internal_error", "Internal error", "\(error)").response
        }
    }
}
