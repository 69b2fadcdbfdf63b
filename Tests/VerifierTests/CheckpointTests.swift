import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing
import Verifier

/// Trust that moves with the validator set (`docs/verifier.md`, "Checkpoints"; issue 17, finding 1): after
/// governance removes a validator, the removed one and two current ones hold 30 of the old set's 40 and can
/// sign a header at the current height that brings back a revoked certificate. From genesis alone that
/// forgery cannot be told from the truth (the long-range limit); a verifier that pins any checkpoint after
/// the removal refuses it.
struct CheckpointTests {
    static let beijing = OrgID("110000")!

    /// Genesis: Guangdong, Zhejiang, Sichuan and Beijing validate with 10 each. Block 1 removes Beijing
    /// (proposed and approved there, so V(3…) is the three, and header 2 is the hand-off) and anchors a
    /// certificate; block 4 revokes it; blocks run to 6.
    struct Removal {
        let chain: StoredChain
        let old: ValidatorSet
        let builder: ReceiptBuilder<RocksDBLedgerStore>
        let subject: CertificateRef

        init(suite: CryptoSuiteID = .secp256k1SHA256) throws {
            let key = LedgerFixture.key(CheckpointTests.beijing.value, suite: suite.suite)
            chain = try StoredChain(
                suite: suite,
                extra: [LedgerFixture.member(CheckpointTests.beijing, [.validator], key: key)]
            )
            let hash = chain.hash
            old = try HeaderVerifier.genesisValidators(chain.fixture.genesis)
            let proposal = try chain.sign(
                .governanceProposal(
                    GovernanceProposal(action: .removeMember(CheckpointTests.beijing), expiresAtHeight: 100)
                ),
                by: LedgerFixture.guangdong
            )
            let approve = TransactionPayload.governanceApproval(
                GovernanceApproval(proposalID: proposal.id(hash: hash))
            )
            subject = CertificateRef(code: VerifiedChain.code, number: VerifiedChain.number, hash: hash)
            let anchor = try chain.sign(
                .certificateAnchor(
                    CertificateAnchor(
                        certificate: subject,
                        documentCommitment: CertificateAnchor.documentCommitment(
                            documentDigest: hash.hash(VerifiedChain.document),
                            secret: VerifiedChain.code.secret,
                            hash: hash
                        ),
                        kind: .marriage
                    )
                ),
                by: LedgerFixture.guangdong
            )
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
            let first = [
                proposal, try chain.sign(approve, by: LedgerFixture.zhejiang),
                try chain.sign(approve, by: LedgerFixture.sichuan), anchor,
            ]
            for transactions in [first, [], [], [revoke], [], []] {
                let results = try chain.append(transactions)
                #expect(results.allSatisfy { $0.isApplied }, "\(results)")
            }
            builder = ReceiptBuilder(source: chain.store, rules: chain.rules)
        }

        var genesis: Genesis { chain.fixture.genesis }
        var current: ValidatorSet { get throws { try chain.store.validatorSet(at: 1, rules: chain.rules) } }

        /// The forgery: a header (by default at height 7, after the chain's last) that names the old set and
        /// carries the state of block 2 (the certificate valid), signed by Beijing (removed), Guangdong and
        /// Zhejiang — 30 of the old 40 — with the evidence of block 2 and no hand-off.
        func forgery(height: UInt64 = 7, time: UInt64? = nil) throws -> CertificateEvidence {
            guard case .certificate(let genuine) = try builder.certificate(subject, height: 2).content else {
                throw StateReadError("not a certificate receipt")
            }
            let header = chain.headers[6]!.changing(
                height: height,
                time: time,
                stateRoot: chain.headers[2]!.stateRoot,
                validatorSetHash: old.hash(chain.hash),
                nextValidatorSetHash: old.hash(chain.hash)
            )
            let signers = [CheckpointTests.beijing, LedgerFixture.guangdong, LedgerFixture.zhejiang].map { id in
                old.validators.firstIndex { $0.id == id }!
            }
            let certificate = try CertifiedChain.certificate(
                for: header,
                validators: old,
                fixture: chain.fixture,
                signers: signers.sorted()
            )
            return CertificateEvidence(
                subject: genuine.subject,
                record: genuine.record,
                proof: genuine.proof,
                header: header,
                certificate: certificate,
                handOffs: [],
                transaction: genuine.transaction
            )
        }

        func verify(_ evidence: CertificateEvidence, trust: TrustedHistory) -> CertificateVerdict {
            CertificateVerifier.verify(
                documentDigest: chain.hash.hash(VerifiedChain.document),
                number: VerifiedChain.number,
                code: VerifiedChain.code,
                evidence: evidence,
                trust: trust
            )
        }
    }

    @Test(arguments: CryptoSuiteID.allCases)
    func aRemovedValidatorsForgeryIsRefusedOnceACheckpointIsPinned(suite: CryptoSuiteID) throws {
        let removal = try Removal(suite: suite)
        #expect(removal.old.totalPower == 40)
        #expect(try removal.current.totalPower == 30)
        let forged = try removal.forgery()
        // From genesis alone the forgery holds: the long-range limit docs/verifier.md states.
        let fromGenesis = removal.verify(forged, trust: VerifiedChain.trust(removal.genesis))
        #expect(fromGenesis.isValid, "\(fromGenesis.checks)")

        // Any checkpoint after the removal refuses it, by the validator-set check.
        for height: UInt64 in [2, 3, 6] {
            let checkpoint = try removal.builder.checkpoint(at: height)
            let trust = try TrustedHistory(genesis: removal.genesis, checkpoints: [checkpoint])
            let verdict = removal.verify(forged, trust: trust)
            #expect(!verdict.isValid && !verdict.proofHolds)
            #expect(verdict.checks.first { !$0.passed }?.name == "validator sets", "\(verdict.checks)")
            #expect(
                throws: HeaderVerificationError.unexpectedValidatorSet(height: 7)
            ) {
                try HeaderVerifier.verify(forged.header, certificate: forged.certificate, handOffs: [], trust: trust)
            }
            // The truth still verifies, with its hand-off or without it (the checkpoint knows the sets).
            guard case .certificate(let latest) = try removal.builder.certificate(removal.subject).content else {
                Issue.record("not a certificate receipt")
                return
            }
            let truth = removal.verify(latest, trust: trust)
            #expect(truth.proofHolds && truth.record?.status == .revoked, "\(truth.checks)")
            #expect(truth.checks[1].detail.contains("checkpoint at height \(height)"), "\(truth.checks[1])")
        }
        // Below a checkpoint the replaced set was the right one, so its signatures still count there; but a
        // header it signs today for such a height shows a time after the checkpoint's, and is refused.
        let later = try removal.builder.checkpoint(at: 6)
        let pinned = try TrustedHistory(genesis: removal.genesis, checkpoints: [later])
        let backdated = try removal.forgery(height: 2, time: later.point.header.time + 60)
        #expect(!removal.verify(backdated, trust: pinned).proofHolds)
        #expect(throws: HeaderVerificationError.contradictsCheckpoint(height: 2)) {
            try HeaderVerifier.verify(backdated.header, certificate: backdated.certificate, handOffs: [], trust: pinned)
        }
        // What a checkpoint does not bound (docs/verifier.md, "Checkpoints"): the same header dated before it
        // is final as far as any check can tell. So state from below a pinned checkpoint is not read at all;
        // a transaction receipt on such a header would be (the stated limit).
        let old = try removal.forgery(height: 2, time: removal.chain.headers[2]!.time)
        try HeaderVerifier.verify(old.header, certificate: old.certificate, handOffs: [], trust: pinned)
        let refused = removal.verify(old, trust: pinned)
        #expect(!refused.isValid && !refused.proofHolds)
        #expect(refused.checks.last?.name == "checkpoint", "\(refused.checks)")
        // A checkpoint before the removal knows nothing of it: the forgery still holds, as stated.
        let early = try TrustedHistory(genesis: removal.genesis, checkpoints: [try removal.builder.checkpoint(at: 1)])
        #expect(removal.verify(forged, trust: early).isValid)
    }

    @Test func checkpointsPinOnlyWhatFollowsFromWhatIsTrusted() throws {
        let removal = try Removal()
        let hash = removal.chain.hash
        let checkpoint = try removal.builder.checkpoint(at: 5)
        #expect(checkpoint.handOffs.map(\.header.height) == [2])
        var trust = try TrustedHistory(genesis: removal.genesis)
        try trust.pin(checkpoint)
        #expect(trust.horizon == 6 && trust.checkpoints == [checkpoint.reference(hash: hash)])
        #expect(trust.validators(at: 2) == removal.old)
        #expect(try trust.validators(at: 3) == removal.current && trust.latest == removal.current)

        // A checkpoint that leaves out the removal's hand-off does not follow from genesis.
        let withoutHandOff = Checkpoint(handOffs: [], point: checkpoint.point)
        #expect(throws: HeaderVerificationError.unexpectedValidatorSet(height: 5)) {
            _ = try TrustedHistory(genesis: removal.genesis, checkpoints: [withoutHandOff])
        }
        // The forger's own checkpoint (its header at 7, handing to the old set) contradicts the pinned one.
        let forged = try removal.forgery()
        let forgedPoint = ValidatorHandOff(header: forged.header, certificate: forged.certificate, next: removal.old)
        #expect(throws: HeaderVerificationError.unexpectedValidatorSet(height: 7)) {
            try trust.pin(Checkpoint(handOffs: [], point: forgedPoint))
        }
        // A hand-off below the horizon that names another set than the known one is a contradiction.
        let wrongHandOff = ValidatorHandOff(
            header: checkpoint.handOffs[0].header,
            certificate: checkpoint.handOffs[0].certificate,
            next: removal.old
        )
        #expect(throws: HeaderVerificationError.contradictsCheckpoint(height: 2)) {
            _ = try trust.following([wrongHandOff], below: 7)
        }
        // Another header at a pinned checkpoint's height.
        let other = checkpoint.point.header.changing(time: checkpoint.point.header.time + 1)
        #expect(throws: HeaderVerificationError.contradictsCheckpoint(height: 5)) {
            try HeaderVerifier.verify(other, certificate: checkpoint.point.certificate, handOffs: [], trust: trust)
        }

        // Another header pinned at a pinned height, or one whose signatures no longer hold, is refused even
        // below the horizon; so is a height no chain reaches.
        let moved = ValidatorHandOff(
            header: checkpoint.point.header.changing(time: checkpoint.point.header.time + 1),
            certificate: checkpoint.point.certificate,
            next: checkpoint.point.next
        )
        #expect(throws: HeaderVerificationError.contradictsCheckpoint(height: 5)) {
            try trust.pin(Checkpoint(handOffs: checkpoint.handOffs, point: moved))
        }
        let earlier = try removal.builder.checkpoint(at: 4)
        let unsigned = ValidatorHandOff(
            header: earlier.point.header.changing(time: earlier.point.header.time + 1),
            certificate: earlier.point.certificate,
            next: earlier.point.next
        )
        #expect {
            try trust.pin(Checkpoint(handOffs: earlier.handOffs, point: unsigned))
        } throws: { error in
            guard case .certificate(4, .wrongBlock) = error as? HeaderVerificationError else { return false }
            return true
        }
        try trust.pin(earlier)
        #expect(trust.checkpoints.map(\.height) == [4, 5])
        let far = ValidatorHandOff(
            header: checkpoint.point.header.changing(height: UInt64.max),
            certificate: checkpoint.point.certificate,
            next: checkpoint.point.next
        )
        #expect(throws: HeaderVerificationError.handOffOutOfOrder(height: UInt64.max)) {
            try trust.pin(Checkpoint(handOffs: [], point: far))
        }

        // The file: read back in any key order; an edited summary is refused.
        let json = checkpoint.json(hash: hash)
        #expect(try Checkpoint(json: json.serializedBytes(), hash: hash) == checkpoint)
        #expect(try Checkpoint(json: json.ignoringKeyOrder.serializedBytes(pretty: false), hash: hash) == checkpoint)
        let edited = json.serialized().replacingOccurrences(of: "\"height\": 5", with: "\"height\": 6")
        #expect(throws: CheckpointError.summaryMismatch) {
            _ = try Checkpoint(json: Array(edited.utf8), hash: hash)
        }
        #expect(throws: CheckpointError.unsupportedVersion(0)) {
            _ = try Checkpoint(
                json: Array(
                    json.serialized().replacingOccurrences(
                        of: "\"civic_checkpoint\": 1",
                        with: "\"civic_checkpoint\": 0"
                    ).utf8
                ),
                hash: hash
            )
        }
    }

    @Test func receiptsCanStartAtACheckpointAndNameIt() throws {
        let removal = try Removal()
        let hash = removal.chain.hash
        let checkpoint = try removal.builder.checkpoint(at: 3)
        let receipt = try removal.builder.certificate(removal.subject, checkpoint: 3)
        #expect(receipt.base == checkpoint.reference(hash: hash))
        #expect(receipt.handOffs.isEmpty, "the removal's hand-off is below the checkpoint")
        #expect(try Receipt(binary: receipt.binary) == receipt)
        #expect(try Receipt(json: Array(receipt.json.serialized().utf8)) == receipt)
        let fromGenesis = try removal.builder.certificate(removal.subject)
        #expect(fromGenesis.base == nil && fromGenesis.handOffs.count == 1)

        let genesisOnly = try TrustedHistory(genesis: removal.genesis)
        #expect(!genesisOnly.covers(receipt.base) && genesisOnly.covers(fromGenesis.base))
        let pinned = try TrustedHistory(genesis: removal.genesis, checkpoints: [checkpoint])
        let later = try TrustedHistory(genesis: removal.genesis, checkpoints: [try removal.builder.checkpoint(at: 5)])
        #expect(pinned.covers(receipt.base) && later.covers(receipt.base) && later.covers(fromGenesis.base))
        let elsewhere = CheckpointRef(height: 3, headerHash: hash.hash(utf8: "another header"))
        #expect(!pinned.covers(elsewhere))
        guard case .certificate(let evidence) = receipt.content else {
            Issue.record("not a certificate receipt")
            return
        }
        let verdict = removal.verify(evidence, trust: later)
        #expect(verdict.proofHolds && verdict.record?.status == .revoked, "\(verdict.checks)")
    }
}
