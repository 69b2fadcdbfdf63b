import Foundation
import Hummingbird
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Logging
import NIOConcurrencyHelpers
import Storage
import Testing
import Verifier

/// `civic verify --node` against a lying stand-in node (issue 17, point 2; `docs/verifier.md`, "Online"): a
/// server that answers the receipt routes with whatever the test chooses — genuine receipts that are stale or
/// about something else, forged ones, nothing — as a node that hides a revocation would. It can make `civic
/// verify` say "could not check" (exit 2), never a wrong verdict; with an honest node beside it, the latest
/// proven answer wins and the disagreement is reported.
@Suite(.serialized) struct LyingNodeTests {
    static let number = "GD-2026-000777"
    static let document = Array("a marriage certificate the liar wants kept valid".utf8)
    static let code = VerificationCode(
        issuer: LedgerFixture.guangdong,
        secret: CertificateSecret(bytes: Array(16..<32))!
    )

    static let beijing = OrgID("110000")!

    /// A chain whose certificate was anchored two days ago (block 1) and revoked seconds ago (block 4), a
    /// second certificate (block 1), and a rejected transaction (block 2: the same anchor again). Four
    /// validators start it; governance removes Beijing in block 1, so V(3…) is the other three.
    struct Ledger {
        let chain: StoredChain
        let directory: String
        /// Receipts by name: "stale" (height 2, valid), "latest" (height 4, revoked), "other" (another
        /// certificate), "forged" (the latest with the stale record), "replaced" (a header at height 5, dated
        /// now, carrying block 2's state, signed by the replaced set: Beijing, Guangdong and Zhejiang),
        /// "applied" and "rejected" (transactions).
        let receipts: [String: Receipt]
        let applied: Digest
        let rejected: Digest

        init() throws {
            let beijingKey = LedgerFixture.key(LyingNodeTests.beijing.value, suite: CryptoSuiteID.secp256k1SHA256.suite)
            let chain = try StoredChain(
                extra: [LedgerFixture.member(LyingNodeTests.beijing, [.validator], key: beijingKey)]
            )
            let directory = chain.directory.path
            let hash = chain.hash
            let oldSet = try HeaderVerifier.genesisValidators(chain.fixture.genesis)
            let now = UInt64(Date().timeIntervalSince1970)
            let subject = CertificateRef(code: LyingNodeTests.code, number: LyingNodeTests.number, hash: hash)
            func anchor(_ subject: CertificateRef, _ document: [UInt8]) throws -> SignedTransaction {
                try chain.sign(
                    .certificateAnchor(
                        CertificateAnchor(
                            certificate: subject,
                            documentCommitment: CertificateAnchor.documentCommitment(
                                documentDigest: hash.hash(document),
                                secret: LyingNodeTests.code.secret,
                                hash: hash
                            ),
                            kind: .marriage
                        )
                    ),
                    by: LedgerFixture.guangdong
                )
            }
            let otherSubject = CertificateRef(code: LyingNodeTests.code, number: "GD-other", hash: hash)
            let first = [try anchor(subject, LyingNodeTests.document), try anchor(otherSubject, Array("other".utf8))]
            let removal = try chain.sign(
                .governanceProposal(
                    GovernanceProposal(action: .removeMember(LyingNodeTests.beijing), expiresAtHeight: 100)
                ),
                by: LedgerFixture.guangdong
            )
            let approve = TransactionPayload.governanceApproval(GovernanceApproval(proposalID: removal.id(hash: hash)))
            let approvals = [
                removal, try chain.sign(approve, by: LedgerFixture.zhejiang),
                try chain.sign(approve, by: LedgerFixture.sichuan),
            ]
            let again = try anchor(subject, LyingNodeTests.document)
            let revoke = try chain.sign(
                .certificateStatusChange(
                    CertificateStatusChange(
                        certificate: subject,
                        newStatus: .revoked,
                        reason: ReasonCode("registered-in-error")!,
                        replacement: nil
                    )
                ),
                by: LedgerFixture.guangdong
            )
            #expect(try chain.append(first + approvals, time: now - 2 * 86_400).allSatisfy(\.isApplied))
            #expect(try chain.append([again], time: now - 2 * 86_400 + 10).map(\.isApplied) == [false])
            try chain.append([], time: now - 2 * 86_400 + 20)
            try chain.append([revoke], time: now - 5)
            let builder = ReceiptBuilder(source: chain.store, rules: chain.rules)
            let stale = try builder.certificate(subject, height: 2)
            let latest = try builder.certificate(subject)
            guard case .certificate(let old) = stale.content, case .certificate(let new) = latest.content else {
                throw StateReadError("not certificate receipts")
            }
            let forged = CertificateEvidence(
                subject: new.subject,
                record: old.record,
                proof: new.proof,
                header: new.header,
                certificate: new.certificate,
                handOffs: new.handOffs,
                transaction: old.transaction
            )
            let header = new.header.changing(
                height: 5,
                time: now,
                stateRoot: old.header.stateRoot,
                validatorSetHash: oldSet.hash(hash),
                nextValidatorSetHash: oldSet.hash(hash)
            )
            let signers = [LyingNodeTests.beijing, LedgerFixture.guangdong, LedgerFixture.zhejiang].map { id in
                oldSet.validators.firstIndex { $0.id == id }!
            }
            let replaced = CertificateEvidence(
                subject: old.subject,
                record: old.record,
                proof: old.proof,
                header: header,
                certificate: try CertifiedChain.certificate(
                    for: header,
                    validators: oldSet,
                    fixture: chain.fixture,
                    signers: signers.sorted()
                ),
                handOffs: [],
                transaction: old.transaction
            )
            // The same latest answer as another honest node may keep it: its hand-off certified by another quorum
            // of the old set (Guangdong, Zhejiang, Sichuan: 30 of 40).
            let handOff = try #require(new.handOffs.first)
            let quorum = ValidatorHandOff(
                header: handOff.header,
                certificate: try CertifiedChain.certificate(
                    for: handOff.header,
                    validators: oldSet,
                    fixture: chain.fixture,
                    signers: [LedgerFixture.guangdong, LedgerFixture.zhejiang, LedgerFixture.sichuan].map { id in
                        oldSet.validators.firstIndex { $0.id == id }!
                    }.sorted()
                ),
                next: handOff.next
            )
            #expect(quorum != handOff)
            let otherQuorum = CertificateEvidence(
                subject: new.subject,
                record: new.record,
                proof: new.proof,
                header: new.header,
                certificate: new.certificate,
                handOffs: [quorum],
                transaction: new.transaction
            )
            try Data(builder.checkpoint(at: 3).json(hash: hash).serialized().utf8).write(
                to: URL(fileURLWithPath: directory + "/checkpoint.json")
            )
            let applied = first[0].id(hash: hash)
            let rejected = again.id(hash: hash)
            let receipts = [
                "stale": stale, "latest": latest, "other": try builder.certificate(otherSubject),
                "forged": Receipt(.certificate(forged)), "replaced": Receipt(.certificate(replaced)),
                "other quorum": Receipt(.certificate(otherQuorum)),
                "applied": try #require(try builder.transaction(applied)),
                "rejected": try #require(try builder.transaction(rejected)),
            ]
            try Data(chain.fixture.genesis.json.serialized().utf8).write(
                to: URL(fileURLWithPath: directory + "/genesis.json")
            )
            try Data(LyingNodeTests.document).write(to: URL(fileURLWithPath: directory + "/cert.pdf"))
            self.chain = chain
            self.directory = directory
            self.receipts = receipts
            self.applied = applied
            self.rejected = rejected
        }

        var certificatePath: String {
            let subject = CertificateRef(code: LyingNodeTests.code, number: LyingNodeTests.number, hash: chain.hash)
            return "/v1/certificates/\(subject.issuer.value)/\(subject.key.hex)/receipt"
        }
    }

    /// Serves `answers` (path → receipt, binary) on 127.0.0.1 while `body` runs with its URL; any other path
    /// is a 404.
    func withStandIn(
        _ answers: [String: Receipt],
        _ body: (String) async throws -> Void
    ) async throws {
        let router = Router()
        router.get("**") { request, _ -> Response in
            guard let receipt = answers[request.uri.path] else { return Response(status: .notFound) }
            return Response(
                status: .ok,
                headers: [.contentType: "application/octet-stream"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: receipt.binary))
            )
        }
        let port = NIOLockedValueBox(0)
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port ?? 0 } },
            logger: Logger(label: "stand-in", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            while port.withLockedValue({ $0 }) == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
            try await body("http://127.0.0.1:\(port.withLockedValue { $0 })")
            group.cancelAll()
        }
    }

    /// `civic verify` on the ledger's certificate (or on what `arguments` name). Unless `arguments` set one,
    /// answers may be a day old: in a starved parallel run minutes pass between making the ledger and asking,
    /// and only the test of the default age (`defaultAge`) may depend on the clock.
    func verify(
        _ ledger: Ledger,
        _ arguments: [String],
        defaultAge: Bool = false
    ) async throws -> (status: Int32, output: String) {
        let certificate = ["--file", "cert.pdf", "--number", Self.number, "--code", Self.code.description]
        var asked = arguments.contains("--tx") ? arguments : certificate + arguments
        if !defaultAge, !arguments.contains("--max-age"), arguments.contains("--node") { asked += ["--max-age", "1d"] }
        return try await HelperProcess.run(
            "civic",
            ["verify", "--genesis", "genesis.json"] + asked,
            in: ledger.directory
        )
    }

    @Test func aLyingNodeCanOnlyMakeTheVerdictCouldNotCheck() async throws {
        let ledger = try Ledger()
        let path = ledger.certificatePath
        let receipts = ledger.receipts
        // The truth, from an honest stand-in: revoked.
        try await withStandIn([path: receipts["latest"]!]) { honest in
            let result = try await verify(ledger, ["--node", honest])
            #expect(result.status == 1 && result.output.contains("was revoked"), "\(result.output)")
        }
        // A genuine receipt from before the revocation, two days old: refused by the default --max-age.
        try await withStandIn([path: receipts["stale"]!]) { liar in
            let result = try await verify(ledger, ["--node", liar], defaultAge: true)
            #expect(result.status == 2 && result.output.contains("older than --max-age"), "\(result.output)")
            // Accepted when the verifier allows that age, and then said to be as of its block.
            let allowed = try await verify(ledger, ["--node", liar, "--max-age", "3d"])
            #expect(allowed.status == 0 && allowed.output.contains("as of block 2"), "\(allowed.output)")
        }
        // Another certificate's genuine receipt; a forged one; nothing at all.
        for (name, expected) in [("other", "another certificate"), ("forged", "does not hold")] {
            try await withStandIn([path: receipts[name]!]) { liar in
                let result = try await verify(ledger, ["--node", liar])
                #expect(result.status == 2 && result.output.contains(expected), "\(name): \(result.output)")
            }
        }
        try await withStandIn([:]) { liar in
            let result = try await verify(ledger, ["--node", liar])
            #expect(result.status == 2 && result.output.contains("no node gave a usable answer"), "\(result.output)")
        }
        // The replaced set's forgery, dated now: from genesis alone it holds (the long-range limit,
        // docs/verifier.md "Trust"); with a checkpoint after the removal it is not used; beside an honest node
        // whose answer proves the removal, it is not used either.
        try await withStandIn([path: receipts["replaced"]!]) { liar in
            let alone = try await verify(ledger, ["--node", liar])
            #expect(alone.status == 0, "the stated limit: \(alone.output)")
            let pinned = try await verify(ledger, ["--node", liar, "--checkpoint", "checkpoint.json"])
            #expect(pinned.status == 2 && pinned.output.contains("names a validator set"), "\(pinned.output)")
            try await withStandIn([path: receipts["latest"]!]) { honest in
                for order in [[liar, honest], [honest, liar]] {
                    let result = try await verify(ledger, order.flatMap { ["--node", $0] })
                    #expect(result.status == 1 && result.output.contains("was revoked"), "\(result.output)")
                    #expect(result.output.contains("Not used: \(liar)"), "\(result.output)")
                }
            }
        }
        // Two honest nodes whose hand-offs carry different quorums are one history.
        try await withStandIn([path: receipts["latest"]!]) { first in
            try await withStandIn([path: receipts["other quorum"]!]) { second in
                let result = try await verify(ledger, ["--node", first, "--node", second])
                #expect(result.status == 1 && result.output.contains("was revoked"), "\(result.output)")
                #expect(!result.output.contains("Not used"), "\(result.output)")
            }
        }
        // Offline, a receipt older than a pinned checkpoint cannot be told from a replaced set's forgery.
        let stale = ledger.directory + "/stale.civr"
        try Data(receipts["stale"]!.binary).write(to: URL(fileURLWithPath: stale))
        #expect(try await verify(ledger, ["--receipt", stale]).status == 0)
        let pinned = try await verify(ledger, ["--receipt", stale, "--checkpoint", "checkpoint.json"])
        #expect(pinned.status == 2 && pinned.output.contains("fetch a fresh receipt"), "\(pinned.output)")
        // An honest node beside a liar whose stale answer is within the allowed age: the later proven answer
        // stands, and the disagreement is reported.
        try await withStandIn([path: receipts["latest"]!]) { honest in
            try await withStandIn([path: receipts["stale"]!]) { liar in
                for order in [[liar, honest], [honest, liar]] {
                    let result = try await verify(
                        ledger,
                        ["--max-age", "3d"] + order.flatMap { ["--node", $0] }
                    )
                    #expect(result.status == 1 && result.output.contains("was revoked"), "\(result.output)")
                    #expect(result.output.contains("Nodes disagree"), "\(result.output)")
                }
            }
        }
    }

    @Test func everyAnswerIsBoundToTheTransactionAskedAbout() async throws {
        let ledger = try Ledger()
        let rejected = ledger.rejected.hex
        let rejectedPath = "/v1/txs/\(rejected)/receipt"
        // Asked about the rejected transaction, the liar shows the applied one's genuine receipt.
        try await withStandIn([rejectedPath: ledger.receipts["applied"]!]) { liar in
            let result = try await verify(ledger, ["--tx", rejected, "--node", liar])
            #expect(result.status == 2 && result.output.contains("another transaction"), "\(result.output)")
        }
        try await withStandIn([rejectedPath: ledger.receipts["rejected"]!]) { honest in
            let result = try await verify(ledger, ["--tx", rejected, "--node", honest])
            #expect(result.status == 1 && result.output.contains("COMMITTED BUT REJECTED"), "\(result.output)")
        }
        // Offline, --tx checks the receipt is that transaction's.
        let file = ledger.directory + "/applied.civr"
        try Data(ledger.receipts["applied"]!.binary).write(to: URL(fileURLWithPath: file))
        let offline = try await verify(ledger, ["--tx", rejected, "--receipt", file])
        #expect(offline.status == 1 && offline.output.contains("✗ transaction"), "\(offline.output)")
        let own = try await verify(ledger, ["--tx", ledger.applied.hex, "--receipt", file])
        #expect(own.status == 0 && own.output.contains("✓ transaction"), "\(own.output)")
    }
}
