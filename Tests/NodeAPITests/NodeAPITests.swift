import CivicCommandLine
import Foundation
import Hummingbird
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Node
import NodeAPI
import P2P
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The HTTP API on a one-validator node over real HTTP on 127.0.0.1: the routes, their shapes, and problem
/// documents for bad input.
@Suite(.serialized) struct NodeAPITests {
    /// A one-validator node with its API on a free port; `body` runs against its base URL.
    func withNode(
        limits: RateLimiter.Limits? = .standard,
        transactionLimits: RateLimiter.Limits? = .standardTransactions,
        trustedProxies: [IPAddressRange] = [],
        _ body: (String, PrivateKey, Genesis) async throws -> Void
    ) async throws {
        try await withNode(limits: limits, transactionLimits: transactionLimits, trustedProxies: trustedProxies) {
            base,
            account,
            genesis,
            _ in
            try await body(base, account, genesis)
        }
    }

    /// The same, handing `body` the node too. Nodes made with another `genesisTime` are another network with
    /// the same keys.
    func withNode(
        limits: RateLimiter.Limits? = .standard,
        transactionLimits: RateLimiter.Limits? = .standardTransactions,
        http: HTTPLimits = HTTPLimits(),
        connections: ConnectionCounter? = nil,
        bodyBudget: BodyBudget? = nil,
        trustedProxies: [IPAddressRange] = [],
        genesisTime: UInt64 = 1_795_000_000,
        mempoolPerSender: Int? = nil,
        _ body: (String, PrivateKey, Genesis, LedgerNode) async throws -> Void
    ) async throws {
        let directory = TemporaryDirectory("civic-api")
        let suite = CryptoSuiteID.secp256k1SHA256.suite
        let tls = try TLSIdentity.generate(commonName: "api test")
        let account = LedgerFixture.key("api account", suite: suite)
        let consensus = LedgerFixture.key("api consensus", suite: suite)
        let id = OrgID("440000")!
        let genesis = Genesis(
            chainID: ChainID("civic-api")!,
            suite: .secp256k1SHA256,
            genesisTime: genesisTime,
            members: [
                Member(
                    id: id,
                    name: "Guangdong",
                    roles: RoleSet([.validator, .registrar, .charity, .payer]),
                    accountKeys: [account.publicKey.bytes],
                    validator: ValidatorInfo(
                        power: 10,
                        consensusKey: consensus.publicKey.bytes,
                        tlsKeyPin: tls.keyPin,
                        address: "127.0.0.1:1"
                    )
                )
            ]
        )
        var configuration = LedgerNode.Configuration(
            node: id,
            dataDirectory: directory.path,
            consensusKey: consensus,
            tls: tls
        )
        configuration.blockIntervalMilliseconds = 50
        if let mempoolPerSender { configuration.mempoolLimits.maximumPerSender = mempoolPerSender }
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let node = try await LedgerNode.start(
            genesis: genesis,
            configuration: configuration,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: quiet
        )
        let port = NIOLockedValueBox(0)
        let application = NodeAPI.application(
            node: node,
            address: .hostname("127.0.0.1", port: 0),
            limits: limits,
            transactionLimits: transactionLimits,
            http: http,
            trustedProxies: trustedProxies,
            connections: connections,
            bodyBudget: bodyBudget,
            onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port ?? 0 } },
            logger: quiet
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            while port.withLockedValue({ $0 }) == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
            try await body("http://127.0.0.1:\(port.withLockedValue { $0 })", account, genesis, node)
            group.cancelAll()
        }
        try await node.shutdown()
    }

    func document(_ response: APIRequest.Response) throws -> JSONValue { try JSONParser.parse(response.body) }

    func hashOnly(_ transaction: SignedTransaction) -> JSONValue {
        .object([JSONMember("hash", .string(transaction.id(hash: SHA256()).hex))])
    }

    func refusal(_ transaction: SignedTransaction, _ code: JSONValue) -> JSONValue {
        .object([JSONMember("hash", .string(transaction.id(hash: SHA256()).hex)), JSONMember("code", code)])
    }

    func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes
    }

    @Test func routesAnswerWithTheirShapes() async throws {
        try await withNode { base, account, genesis in
            let signer = account
            let status = try document(try await APIRequest.send("GET", base + "/v1/status"))
            for field in ["chain_id", "node_id", "height", "last_block_hash", "state_root", "peers", "catching_up"] {
                #expect(status[field] != nil, "status lacks \(field)")
            }
            #expect(status["chain_id"] == .string("civic-api"))

            let transaction = try SignedTransaction.signed(
                Payloads.anchor("api"),
                sequence: 0,
                by: account,
                on: genesis
            )
            let submitted = try await APIRequest.send(
                "POST",
                base + "/v1/txs",
                body: transaction.canonicalBytes,
                contentType: "application/octet-stream"
            )
            #expect(submitted.status == 202)
            let hash = transaction.id(hash: SHA256()).hex
            #expect(try document(submitted)["hash"] == .string(hash))
            var committed: JSONValue?
            try #require(
                await eventually {
                    let answer = try? document(try await APIRequest.send("GET", base + "/v1/txs/\(hash)"))
                    guard let answer, answer["status"] == .string("committed") else { return false }
                    committed = answer
                    return true
                }
            )
            let result = try #require(committed)
            #expect(result["applied"] == .bool(true))
            guard case .integer(let height)? = result["height"] else {
                Issue.record("no height")
                return
            }
            let block = try document(try await APIRequest.send("GET", base + "/v1/blocks/\(height)"))
            #expect(block["height"] == .integer(height))
            #expect(block["txs"] == .array([.string(hash)]))
            for field in ["hash", "state_root"] { #expect(block[field] != nil) }
            #expect(block["commit"]?["signers"] == .array([.string("440000")]), "the certificate's signers")

            // The same transaction as JSON: a duplicate now, refused with a problem document.
            let again = try await APIRequest.send(
                "POST",
                base + "/v1/txs",
                body: Array("{\"tx\": \"\(Hex.encode(transaction.canonicalBytes))\"}".utf8),
                contentType: "application/json"
            )
            #expect(again.status == 409)
            #expect(try document(again)["code"] == .string("duplicate"))

            let account = try document(try await APIRequest.send("GET", base + "/v1/accounts/\(account.publicKey.hex)"))
            #expect(account["next_sequence"] == .integer(1))

            // Batches, as JSON and as length-prefixed binary; one result each, a refusal naming its code.
            let more = try (1...4).map { sequence in
                try SignedTransaction.signed(
                    Payloads.anchor("api batch \(sequence)"),
                    sequence: UInt64(sequence),
                    by: signer,
                    on: genesis
                )
            }
            let jsonBatch = try await APIRequest.send(
                "POST",
                base + "/v1/txs/batch",
                body: Array(
                    "{\"txs\": [\"\(Hex.encode(more[0].canonicalBytes))\", \"\(Hex.encode(more[1].canonicalBytes))\"]}"
                        .utf8
                ),
                contentType: "application/json"
            )
            #expect(jsonBatch.status == 200)
            #expect(try document(jsonBatch)["results"] == .array(more[0...1].map { hashOnly($0) }))
            let binary = [more[2], more[1], more[3]].flatMap { lengthPrefixed($0.canonicalBytes) }
            let binaryBatch = try await APIRequest.send(
                "POST",
                base + "/v1/txs/batch",
                body: binary,
                contentType: "application/octet-stream"
            )
            #expect(binaryBatch.status == 200)
            let duplicate = JSONValue.object([
                JSONMember("hash", .string(more[1].id(hash: SHA256()).hex)), JSONMember("code", .string("duplicate")),
            ])
            #expect(try document(binaryBatch)["results"] == .array([hashOnly(more[2]), duplicate, hashOnly(more[3])]))

            let metrics = String(decoding: try await APIRequest.send("GET", base + "/metrics").body, as: UTF8.self)
            for name in [
                "civic_height", "civic_round", "civic_peers", "civic_mempool_transactions", "civic_mempool_bytes",
                "civic_commit_latency_seconds_bucket", "civic_committed_transactions_total", "civic_sync_lag_blocks",
                "civic_rejected_transactions_total",
            ] {
                #expect(metrics.contains(name), "metrics lack \(name)")
            }
            #expect(metrics.contains("civic_rejected_transactions_total{reason=\"duplicate\"} 2"))
        }
    }

    /// Issue 16, point 6: a transaction committed on one network is refused on another made with the same keys
    /// and the same chain id (as `civicd testnet` names every local network `civic-local`): its signature is
    /// for the first network's genesis. Before, it applied unchanged.
    @Test func aTransactionCommittedOnOneNetworkIsRefusedOnAnother() async throws {
        var committed: SignedTransaction?
        try await withNode { base, account, genesis, _ in
            let transaction = try SignedTransaction.signed(
                Payloads.anchor("replayed"),
                sequence: 0,
                by: account,
                on: genesis
            )
            let submitted = try await APIRequest.send(
                "POST",
                base + "/v1/txs?wait=30",
                body: transaction.canonicalBytes,
                contentType: "application/octet-stream"
            )
            #expect(submitted.status == 200, "committed on the first network")
            committed = transaction
        }
        let transaction = try #require(committed)
        try await withNode(genesisTime: 1_795_000_001) { base, _, genesis, _ in
            #expect(genesis.chainID == transaction.transaction.chainID)
            let replayed = try await APIRequest.send(
                "POST",
                base + "/v1/txs",
                body: transaction.canonicalBytes,
                contentType: "application/octet-stream"
            )
            #expect(replayed.status == 422)
            #expect(try document(replayed)["code"] == .string("bad_signature"))
        }
    }

    /// A node whose store cannot be read says so (issue 16): every route that reads the ledger answers 503
    /// `ledger_unreadable`. Before, status answered its last height with a zero block hash and state root, a
    /// block read that failed was "no such block", a transaction lookup "unknown transaction", an account
    /// "unknown account", and a submission was refused as `unknown_account`. The store is closed under the
    /// running node.
    @Test func anUnreadableLedgerIsAProblemNotAZeroRoot() async throws {
        try await withNode { base, account, genesis, node in
            #expect(await eventually { node.consensus.committedHeight() >= 1 })
            let before = try document(try await APIRequest.send("GET", base + "/v1/status"))
            #expect(before["state_root"] != .string(Digest.zero.hex))
            let transaction = try SignedTransaction.signed(
                Payloads.anchor("unreadable"),
                sequence: 0,
                by: account,
                on: genesis
            )
            node.store.close()
            // The node's committed height is its own fact, not a store read that fails into 0.
            #expect(node.consensus.committedHeight() >= 1)
            let reads = [
                "/v1/status", "/v1/blocks/1", "/v1/headers/1",
                "/v1/txs/" + transaction.id(hash: SHA256()).hex,
                "/v1/accounts/" + account.publicKey.hex,
            ]
            for path in reads {
                let response = try await APIRequest.send("GET", base + path)
                #expect(response.status == 503, "\(path)")
                #expect(try document(response)["code"] == .string("ledger_unreadable"), "\(path)")
            }
            let submitted = try await APIRequest.send(
                "POST",
                base + "/v1/txs",
                body: transaction.canonicalBytes,
                contentType: "application/octet-stream"
            )
            #expect(submitted.status == 503)
            #expect(try document(submitted)["code"] == .string("ledger_unreadable"))
        }
    }

    @Test func aClientOverItsRateGetsAProblemDocument() async throws {
        // A token every 1,000 s: however slowly a loaded machine sends the four requests, none refills.
        try await withNode(limits: RateLimiter.Limits(rate: 0.001, burst: 2)) { base, _, _ in
            var statuses: [Int] = []
            for _ in 0..<3 { statuses.append(try await APIRequest.send("GET", base + "/v1/status").status) }
            #expect(statuses == [200, 200, 429])
            let refused = try await APIRequest.send("GET", base + "/v1/status")
            #expect(try document(refused)["code"] == .string("rate_limited"))
        }
    }

    /// Issue 16, finding 6: the rate limit counted a batch of 10,000 transactions as one request. A batch is
    /// charged as its transactions — before any is admitted, refused ones too — and one larger than the
    /// burst is refused outright.
    @Test func aBatchCountsAsItsTransactions() async throws {
        try await withNode(transactionLimits: RateLimiter.Limits(rate: 0.001, burst: 4)) { base, _, genesis in
            let stranger = LedgerFixture.key("api stranger", suite: genesis.suite.suite)
            let junk = try (0..<6).map { sequence in
                SignedTransaction(
                    transaction: Transaction(
                        chainID: genesis.chainID,
                        sender: stranger.publicKey.bytes,
                        sequence: UInt64(sequence),
                        payload: Payloads.anchor("junk \(sequence)")
                    ),
                    signature: try Signature(bytes: [UInt8](repeating: 7, count: 64))
                )
            }
            func batch(_ transactions: ArraySlice<SignedTransaction>) async throws -> APIRequest.Response {
                try await APIRequest.send(
                    "POST",
                    base + "/v1/txs/batch",
                    body: transactions.flatMap { lengthPrefixed($0.canonicalBytes) },
                    contentType: "application/octet-stream"
                )
            }
            func single(_ transaction: SignedTransaction) async throws -> APIRequest.Response {
                try await APIRequest.send(
                    "POST",
                    base + "/v1/txs",
                    body: transaction.canonicalBytes,
                    contentType: "application/octet-stream"
                )
            }
            let tooBig = try await batch(junk[0..<5])
            #expect(tooBig.status == 429)
            guard case .string(let detail)? = try document(tooBig)["detail"] else {
                Issue.record("a refused batch has no detail")
                return
            }
            #expect(detail.contains("split the batch"))
            let three = try await batch(junk[0..<3])
            #expect(three.status == 200)
            let code = JSONValue.string("unknown_account")
            #expect(try document(three)["results"] == .array(junk[0..<3].map { refusal($0, code) }))
            let two = try await batch(junk[3..<5])
            #expect(two.status == 429)
            #expect(try document(two)["code"] == .string("rate_limited"))
            #expect(try await single(junk[5]).status == 422)
            let refused = try await single(junk[4])
            #expect(refused.status == 429)
            #expect(try document(refused)["code"] == .string("rate_limited"))
            // Reads are not charged to the transaction quota.
            #expect(try await APIRequest.send("GET", base + "/v1/status").status == 200)
        }
    }

    /// Cheap refusal first, end to end (issue 16, point 4): a batch's transactions are decoded whole only
    /// past what their envelopes decide. A stranger's transaction is refused for its sender whatever follows
    /// its envelope; a member's transaction that does not decode makes the whole batch malformed, and nothing
    /// of it is admitted; a transaction of another format version is malformed before anything is looked up.
    @Test func aBatchIsDecodedOnlyPastItsEnvelopes() async throws {
        try await withNode { base, account, genesis, node in
            func garbled(_ transaction: SignedTransaction) -> [UInt8] {
                var bytes = transaction.canonicalBytes
                // The payload's tag, after version, chain id, sender and sequence: a tag no payload has.
                bytes[1 + 4 + genesis.chainID.value.utf8.count + 4 + transaction.transaction.sender.count + 8] = 0xEE
                return bytes
            }
            func post(_ transactions: [[UInt8]]) async throws -> APIRequest.Response {
                try await APIRequest.send(
                    "POST",
                    base + "/v1/txs/batch",
                    body: transactions.flatMap(lengthPrefixed),
                    contentType: "application/octet-stream"
                )
            }
            let stranger = LedgerFixture.key("api stranger", suite: genesis.suite.suite)
            let junk = try SignedTransaction.signed(Payloads.anchor("junk"), sequence: 0, by: stranger, on: genesis)
            let good = try SignedTransaction.signed(Payloads.anchor("good"), sequence: 0, by: account, on: genesis)
            let bad = try SignedTransaction.signed(Payloads.anchor("bad"), sequence: 1, by: account, on: genesis)
            #expect(throws: CanonicalDecodingError.self) { try SignedTransaction(encoded: garbled(junk)) }

            let refused = try await post([garbled(junk)])
            #expect(refused.status == 200)
            let junkHash = SHA256().hash(garbled(junk)).hex
            #expect(
                try document(refused)["results"]
                    == .array([
                        .object([JSONMember("hash", .string(junkHash)), JSONMember("code", .string("unknown_account"))])
                    ])
            )

            let malformed = try await post([good.canonicalBytes, garbled(bad)])
            #expect(malformed.status == 400)
            #expect(try document(malformed)["code"] == .string("malformed_transaction"))
            guard case .string(let detail)? = try document(malformed)["detail"] else {
                Issue.record("a malformed batch's problem has no detail")
                return
            }
            #expect(detail.hasPrefix("transaction 1:"), "the problem names the transaction")
            #expect(node.mempool.count == 0, "nothing of a malformed batch is admitted")

            var otherVersion = good.canonicalBytes
            otherVersion[0] = Transaction.formatVersion + 1
            let versioned = try await post([otherVersion])
            #expect(versioned.status == 400)
            #expect(try document(versioned)["code"] == .string("malformed_transaction"))

            let admitted = try await post([good.canonicalBytes])
            #expect(try document(admitted)["results"] == .array([hashOnly(good)]))
        }
    }

    /// A node remembers a refusal for `GET /v1/txs/{hash}` only when the transaction's signature verified:
    /// junk under a stranger's key or under a member's public key with a bogus signature costs nothing to
    /// make, and remembering it would let anyone evict the refusals members look up (issue 16 review).
    @Test func onlyRefusalsOfGenuinelySignedTransactionsAreRemembered() async throws {
        try await withNode(mempoolPerSender: 1) { base, account, genesis, node in
            func post(_ transaction: SignedTransaction) async throws -> String {
                let response = try await APIRequest.send(
                    "POST",
                    base + "/v1/txs",
                    body: transaction.canonicalBytes,
                    contentType: "application/octet-stream"
                )
                if case .string(let code)? = try document(response)["code"] { return code }
                return "\(response.status)"
            }
            func status(_ transaction: SignedTransaction) async throws -> JSONValue? {
                let id = transaction.id(hash: SHA256()).hex
                let response = try await APIRequest.send("GET", base + "/v1/txs/\(id)")
                // 404 unknown_transaction is "not kept"; its problem document's "status" is the HTTP status.
                return response.status == 404 ? nil : try document(response)["status"]
            }
            let stranger = LedgerFixture.key("api stranger", suite: genesis.suite.suite)
            let junk = try SignedTransaction.signed(Payloads.anchor("junk"), sequence: 0, by: stranger, on: genesis)
            let forged = SignedTransaction(
                transaction: try SignedTransaction.signed(Payloads.anchor("f"), sequence: 0, by: account, on: genesis)
                    .transaction,
                signature: junk.signature
            )
            #expect(try await post(junk) == "unknown_account")
            #expect(try await post(forged) == "bad_signature")
            let junkStatus = try await status(junk)
            let forgedStatus = try await status(forged)
            #expect(junkStatus == nil && forgedStatus == nil, "nobody's refusals are kept")
            // The member's own signed transactions: one pending fills its share, the next is refused after its
            // signature verified, and that refusal is kept.
            let first = try SignedTransaction.signed(Payloads.anchor("m0"), sequence: 0, by: account, on: genesis)
            let second = try SignedTransaction.signed(Payloads.anchor("m1"), sequence: 1, by: account, on: genesis)
            let results = node.submit([first, second])
            guard case .failure(.senderQuota) = results[1] else {
                Issue.record("expected sender_quota, got \(results[1])")
                return
            }
            #expect(try await status(second) == .string("rejected"))
        }
    }

    /// Behind a trusted proxy (here the test itself, on 127.0.0.1) each forwarded client has its own bucket;
    /// from anyone else the header is ignored and the connection's address is the client.
    @Test func behindATrustedProxyEachForwardedClientIsCountedApart() async throws {
        func status(_ base: String, forwardedFor client: String) async throws -> Int {
            var request = URLRequest(url: try #require(URL(string: base + "/v1/status")))
            request.setValue(client, forHTTPHeaderField: "X-Forwarded-For")
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        let limits = RateLimiter.Limits(rate: 0.001, burst: 2)
        try await withNode(limits: limits, trustedProxies: [try #require(IPAddressRange("127.0.0.1"))]) { base, _, _ in
            var statuses: [Int] = []
            for client in ["203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2"] {
                statuses.append(try await status(base, forwardedFor: client))
            }
            #expect(statuses == [200, 200, 429, 200])
        }
        try await withNode(limits: limits) { base, _, _ in
            var statuses: [Int] = []
            for client in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
                statuses.append(try await status(base, forwardedFor: client))
            }
            #expect(statuses == [200, 200, 429])
        }
    }

    @Test func badInputGetsProblemDocuments() async throws {
        try await withNode { base, _, _ in
            let cases: [(String, String, [UInt8]?, String?, Int, String)] = [
                ("POST", "/v1/txs", [1, 2, 3], "application/octet-stream", 400, "malformed_transaction"),
                ("POST", "/v1/txs", Array("{\"tx\": 5}".utf8), "application/json", 400, "malformed_body"),
                ("POST", "/v1/txs", Array("not json".utf8), "application/json", 400, "malformed_body"),
                (
                    "POST", "/v1/txs", [UInt8](repeating: 7, count: NodeAPI.maximumBodyBytes + 1), nil, 413,
                    "body_too_large"
                ),
                ("POST", "/v1/txs/batch", Array("{\"txs\": 5}".utf8), "application/json", 400, "malformed_body"),
                ("POST", "/v1/txs/batch", [0, 0, 1], "application/octet-stream", 400, "malformed_body"),
                ("POST", "/v1/txs/batch", [0, 0, 0, 9, 1, 2], "application/octet-stream", 400, "malformed_body"),
                (
                    "POST", "/v1/txs/batch", lengthPrefixed([1, 2, 3]), "application/octet-stream", 400,
                    "malformed_transaction"
                ),
                ("GET", "/v1/txs/xyz", nil, nil, 400, "malformed_hash"),
                ("GET", "/v1/txs/" + String(repeating: "ab", count: 32), nil, nil, 404, "unknown_transaction"),
                ("GET", "/v1/blocks/0", nil, nil, 400, "malformed_height"),
                ("GET", "/v1/blocks/999999", nil, nil, 404, "unknown_block"),
                ("GET", "/v1/blocks/-1", nil, nil, 400, "malformed_height"),
                ("GET", "/v1/blocks/9223372036854775808", nil, nil, 400, "malformed_height"),
                ("GET", "/v1/accounts/zz", nil, nil, 400, "malformed_key"),
                ("GET", "/v1/accounts/" + String(repeating: "02", count: 33), nil, nil, 404, "unknown_account"),
                ("DELETE", "/v1/status", nil, nil, 405, "method_not_allowed"),
                ("GET", "/v1/txs/batch", nil, nil, 405, "method_not_allowed"),
                (
                    "PUT", "/v1/certificates/440000/" + String(repeating: "ab", count: 32), nil, nil, 405,
                    "method_not_allowed"
                ),
                ("GET", "/v1/nothing-here", nil, nil, 404, "http_404"),
            ]
            for (method, path, body, type, status, code) in cases {
                let response = try await APIRequest.send(method, base + path, body: body, contentType: type)
                #expect(response.status == status, "\(method) \(path)")
                let problem = try? document(response)
                #expect(
                    problem?["code"] == .string(code),
                    "\(method) \(path): \(String(decoding: response.body, as: UTF8.self))"
                )
                #expect(problem?["status"] == .integer(Int64(status)))
            }
            // The node is unharmed.
            #expect(try await APIRequest.send("GET", base + "/v1/status").status == 200)
        }
    }

    /// `GET /verify` (issue 17, point 5): the page, self-contained, with this node's genesis built in as JSON
    /// that no genesis text can break out of.
    @Test func theVerificationPageCarriesThisNodesGenesis() async throws {
        let template = try #require(VerifyPage.template)
        #expect(template.components(separatedBy: VerifyPage.genesisMarker).count == 2)
        try await withNode { base, _, genesis in
            let answer = try await APIRequest.send("GET", base + "/verify")
            #expect(answer.status == 200)
            let page = String(decoding: answer.body, as: UTF8.self)
            #expect(page.hasPrefix("<!doctype html>") && page.contains("id=\"civic-genesis\""))
            #expect(!page.contains(VerifyPage.genesisMarker))
            let start = try #require(page.range(of: "<script type=\"application/json\" id=\"civic-genesis\">"))
            let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
            let built = try Genesis.parse(json: Array(page[start.upperBound..<end.lowerBound].utf8))
            #expect(built.hash == genesis.hash)
            // Nothing is fetched from elsewhere: no external script, style or image.
            #expect(!page.contains("src=\"http") && !page.contains("href=\"http"))
        }
        // The one script the page runs is the one its Content-Security-Policy names by hash.
        let scriptStart = try #require(template.range(of: "<script>", options: .backwards))
        let scriptEnd = try #require(template.range(of: "</script>", range: scriptStart.upperBound..<template.endIndex))
        let script = Array(template[scriptStart.upperBound..<scriptEnd.lowerBound].utf8)
        #expect(VerifyPage.scriptHash == "sha256-" + Data(SHA256().hash(script).bytes).base64EncodedString())
        #expect(template.contains("script-src '\(VerifyPage.scriptHash)'"))
        // A member name that tries to close the script element stays inside the JSON.
        let genesis = LedgerFixture().genesis
        guard case .array(let members)? = genesis.json["members"], case .string(let name)? = members.first?["name"]
        else { throw CocoaError(.fileReadCorruptFile) }
        let text = genesis.json.serialized(pretty: false)
            .replacingOccurrences(of: "\"\(name)\"", with: "\"</script><script>alert(1)</script>\"")
        let hostile = try Genesis.parse(json: Array(text.utf8))
        let page = try #require(VerifyPage.html(genesis: hostile))
        #expect(!page.contains("<script>alert(1)"))
        #expect(page.components(separatedBy: "</script>").count == template.components(separatedBy: "</script>").count)
    }

    @Test func aPathWithAnotherMethodNamesTheMethodsItAllows() {
        let endpoints = NodeAPI.endpoints
        #expect(endpoints.methods(allowedOn: "/v1/status") == [.get])
        #expect(endpoints.methods(allowedOn: "/v1/txs") == [.post])
        // A literal segment beats a parameter, as in the router: "batch" is not a transaction hash.
        #expect(endpoints.methods(allowedOn: "/v1/txs/batch") == [.post])
        #expect(endpoints.methods(allowedOn: "/v1/txs/abc") == [.get])
        #expect(endpoints.methods(allowedOn: "/v1/txs/abc/receipt") == [.get])
        #expect(endpoints.methods(allowedOn: "/v1/txs//receipt").isEmpty)
        #expect(endpoints.methods(allowedOn: "/v1/nothing").isEmpty)
    }
}
