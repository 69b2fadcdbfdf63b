import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// `civic receipt` and `civic verify` against real nodes of each crypto suite: the exit codes the docs
/// promise (0 valid, 1 not valid, 2 could not check) for an offline receipt before and after a revocation,
/// online verification, a checkpoint and a receipt that starts from it, a transaction receipt, documents
/// anchored in a batch, an edited document, a foreign genesis, a truncated receipt and an unreachable node.
@Suite(.serialized) struct VerifyCommandProcessTests {
    func civic(_ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
        try await HelperProcess.run("civic", arguments, in: directory)
    }

    @Test(arguments: CryptoSuiteID.allCases)
    func verifyGivesTheDocumentedVerdictsAndExitCodes(suite: CryptoSuiteID) async throws {
        let network = try await ProcessNetwork(validators: 1, suite: suite)
        try network.startAll()
        let up = await network.reach(0, 1)
        #expect(up, "the node did not start")
        let work = network.directory.path
        let node = network.apis[0]
        let genesis = work + "/genesis.json"
        let key = work + "/accounts/beijing.key"
        try Array("Marriage e-certificate BJ-1 (sample)".utf8).write(to: work + "/cert.pdf")
        func run(_ arguments: String...) async throws -> (status: Int32, output: String) {
            try await civic(arguments, in: work)
        }
        // The issuer draws the verification code it prints on the certificate.
        let drawn = try await run("code", "--issuer", "110000")
        let code = drawn.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(drawn.status == 0 && code.hasPrefix("110000-") && code.count == 7 + 32, "\(drawn.output)")
        let printed = ["--number", "BJ-1", "--code", code]
        let certificate = printed + ["--file", "cert.pdf"]

        let anchored = try await civic(
            ["submit", "certificate", "--node", node, "--key", key, "--wait"] + certificate,
            in: work
        )
        #expect(anchored.status == 0, "\(anchored.output)")
        let saved = try await civic(
            ["receipt", "--node", node, "--out", "before.json", "--qr", "qr.png"] + printed,
            in: work
        )
        #expect(saved.status == 0, "\(saved.output)")
        // The QR code, read back by a real decoder (zbar), opens this node's page with the number and code.
        let scanned = try await HelperProcess.tool("zbarimg", ["--raw", "-q", work + "/qr.png"])
        #expect(
            scanned.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(node)/verify#number=BJ-1&code=\(code)"
        )
        let valid = try await civic(
            ["verify", "--genesis", genesis, "--receipt", "before.json"] + certificate,
            in: work
        )
        #expect(valid.status == 0 && valid.output.hasPrefix("✓ VALID"), "\(valid.output)")
        #expect(valid.output.contains("cannot show") || valid.output.contains("is not in it"), "the as-of warning")

        // A checkpoint, checked from genesis; a receipt that starts from it; verified only with it pinned.
        let pinned = try await run("checkpoint", "--node", node, "--genesis", genesis, "--out", "checkpoint.json")
        #expect(pinned.status == 0 && pinned.output.contains("wrote checkpoint.json"), "\(pinned.output)")
        let short = try await civic(
            ["receipt", "--node", node, "--checkpoint", "checkpoint.json", "--out", "short.json"] + printed,
            in: work
        )
        #expect(short.status == 0, "\(short.output)")
        let withCheckpoint = try await civic(
            ["verify", "--genesis", genesis, "--checkpoint", "checkpoint.json", "--receipt", "short.json"]
                + certificate,
            in: work
        )
        #expect(withCheckpoint.status == 0, "\(withCheckpoint.output)")
        #expect(withCheckpoint.output.contains("and the checkpoint at height"), "\(withCheckpoint.output)")
        let unpinned = try await civic(
            ["verify", "--genesis", genesis, "--receipt", "short.json"] + certificate,
            in: work
        )
        #expect(unpinned.status == 2 && unpinned.output.contains("not pinned"), "\(unpinned.output)")

        let revoked = try await civic(
            [
                "submit", "status-change", "--node", node, "--key", key, "--status", "revoked", "--reason",
                "divorce-registered", "--wait",
            ]
                + printed,
            in: work
        )
        #expect(revoked.status == 0, "\(revoked.output)")
        // The old receipt still says what it said, as of its block; online says revoked.
        #expect(
            try await civic(["verify", "--genesis", genesis, "--receipt", "before.json"] + certificate, in: work)
                .status == 0
        )
        let online = try await civic(["verify", "--genesis", genesis, "--node", node] + certificate, in: work)
        #expect(online.status == 1 && online.output.contains("was revoked"), "\(online.output)")
        let json = try await civic(["verify", "--genesis", genesis, "--node", node, "--json"] + certificate, in: work)
        #expect(json.status == 1 && json.output.contains("\"verdict\": \"not_valid\""), "\(json.output)")

        // A transaction receipt, binary.
        let hash = try #require(revoked.output.split(separator: "\n").first.map(String.init))
        #expect(try await run("receipt", "--node", node, "--tx", hash, "--out", "tx.civr", "--binary").status == 0)
        let transaction = try await run("verify", "--genesis", genesis, "--receipt", "tx.civr", "--tx", hash)
        #expect(transaction.status == 0 && transaction.output.hasPrefix("✓ COMMITTED"), "\(transaction.output)")

        // Documents anchored in a batch: a proof file, a receipt per document, verified offline and online.
        for index in 1...3 { try Array("Diploma \(index) (sample)".utf8).write(to: work + "/diploma-\(index).pdf") }
        let batch = try await run(
            "submit",
            "batch",
            "--node",
            node,
            "--key",
            key,
            "--label",
            "2026-12 diplomas",
            "--proofs",
            "proofs.json",
            "--wait",
            "diploma-1.pdf",
            "diploma-2.pdf",
            "diploma-3.pdf"
        )
        #expect(batch.status == 0, "\(batch.output)")
        let inBatch = try await run(
            "merkle",
            "verify",
            "--suite",
            suite.rawValue,
            "--proofs",
            "proofs.json",
            "diploma-2.pdf"
        )
        #expect(inBatch.status == 0 && inBatch.output.contains("document 2 of 3"), "\(inBatch.output)")
        #expect(
            try await run("merkle", "verify", "--suite", suite.rawValue, "--proofs", "proofs.json", "cert.pdf").status
                == 1
        )
        let documentReceipt = try await run(
            "receipt",
            "--node",
            node,
            "--batch-proofs",
            "proofs.json",
            "--file",
            "diploma-2.pdf",
            "--out",
            "d2.json"
        )
        #expect(documentReceipt.status == 0, "\(documentReceipt.output)")
        let offlineDocument = try await run(
            "verify",
            "--genesis",
            genesis,
            "--file",
            "diploma-2.pdf",
            "--receipt",
            "d2.json"
        )
        #expect(offlineDocument.status == 0 && offlineDocument.output.hasPrefix("✓ VALID"), "\(offlineDocument.output)")
        let wrongDocument = try await run(
            "verify",
            "--genesis",
            genesis,
            "--file",
            "diploma-1.pdf",
            "--receipt",
            "d2.json"
        )
        #expect(wrongDocument.status == 1 && wrongDocument.output.contains("✗ document"), "\(wrongDocument.output)")
        let onlineDocument = try await run(
            "verify",
            "--genesis",
            genesis,
            "--file",
            "diploma-3.pdf",
            "--batch-proofs",
            "proofs.json",
            "--node",
            node
        )
        #expect(
            onlineDocument.status == 0 && onlineDocument.output.contains("document 3 of 3"),
            "\(onlineDocument.output)"
        )

        // An edited document; a genesis of another network; a truncated receipt; an unreachable node.
        try Array("Marriage e-certificate BJ-2 (sample)".utf8).write(to: work + "/edited.pdf")
        let edited = try await civic(
            ["verify", "--file", "edited.pdf", "--genesis", genesis, "--receipt", "before.json"] + printed,
            in: work
        )
        #expect(edited.status == 1 && edited.output.contains("✗ document"), "\(edited.output)")
        let foreign = try await ProcessNetwork(validators: 1, suite: suite)
        // Every `civicd testnet` network is `civic-local`, yet each is a network of its own: its genesis hash,
        // which every signature binds (issue 16, point 6), is new.
        #expect(foreign.genesis.chainID == network.genesis.chainID)
        #expect(foreign.genesis.network != network.genesis.network)
        let other = try await civic(
            ["verify", "--genesis", foreign.directory.path + "/genesis.json", "--receipt", "before.json"] + certificate,
            in: work
        )
        // Both networks are called civic-local: the other genesis's validators never signed this chain.
        #expect(other.status == 1 && other.output.contains("✗ validator sets"), "\(other.output)")
        let receipt = try Data(contentsOf: URL(fileURLWithPath: work + "/before.json"))
        try receipt.prefix(receipt.count / 2).write(to: URL(fileURLWithPath: work + "/cut.json"))
        let cut = try await civic(["verify", "--genesis", genesis, "--receipt", "cut.json"] + certificate, in: work)
        #expect(cut.status == 2 && cut.output.contains("not a CivicLedger receipt"), "\(cut.output)")
        let unreachable = try await civic(
            ["verify", "--genesis", genesis, "--node", "http://127.0.0.1:1"] + certificate,
            in: work
        )
        #expect(unreachable.status == 2 && unreachable.output.contains("cannot reach"), "\(unreachable.output)")
    }
}

extension Array where Element == UInt8 {
    fileprivate func write(to path: String) throws { try Data(self).write(to: URL(fileURLWithPath: path)) }
}
