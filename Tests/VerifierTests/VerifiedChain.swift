import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing
import Verifier

/// Six blocks with real certificates, each signed by every validator of V(h). Sichuan's power goes from 10
/// to 30 (proposed in block 1, approved in block 2); with a delay of 2, V(1…3) is the genesis set and V(4…)
/// the new one, so header 3 is the hand-off: the old set signs it and it names the new set next. Guangdong
/// anchors a marriage certificate in block 1 and revokes it in block 5.
struct VerifiedChain {
    static let number = "GD-2026-000123"
    static let document = Array("a marriage certificate, as a PDF would be".utf8)
    /// The verification code printed on it (a fixed secret, so runs compare).
    static let code = VerificationCode(
        issuer: LedgerFixture.guangdong,
        secret: CertificateSecret(bytes: Array(0..<16))!
    )

    let fixture: LedgerFixture
    let headers: [UInt64: BlockHeader]
    let certificates: [UInt64: CommitCertificate]
    let old: ValidatorSet
    let new: ValidatorSet
    /// The certificate's evidence as of each height, as `ReceiptBuilder` assembles it from the store.
    let evidence: [UInt64: CertificateEvidence]
    /// Evidence at height 6 for number "GD-never" with the same document: proven absent.
    let absent: CertificateEvidence
    /// Transaction receipts of the governance proposal and the anchoring (block 1) and the revocation (block 5),
    /// by those names.
    let transactionReceipts: [String: Receipt]

    var genesis: Genesis { fixture.genesis }
    /// Trust in the genesis file alone.
    var trust: TrustedHistory { Self.trust(genesis) }

    /// Trust in `genesis` alone; the fixtures' genesis files always name their validators.
    static func trust(_ genesis: Genesis) -> TrustedHistory {
        try! TrustedHistory(genesis: genesis)
    }
    var documentDigest: Digest { fixture.suite.hashFunction.hash(Self.document) }

    var handOff: ValidatorHandOff {
        ValidatorHandOff(header: headers[3]!, certificate: certificates[3]!, next: new)
    }

    static func make(suite: CryptoSuiteID = .secp256k1SHA256) throws -> VerifiedChain {
        let chain = try StoredChain(suite: suite)
        let store = chain.store
        let fixture = chain.fixture
        let hash = chain.hash
        let sichuanKey = try #require(fixture.keys[LedgerFixture.sichuan])
        let sichuan = LedgerFixture.member(LedgerFixture.sichuan, [.validator, .registrar], key: sichuanKey, power: 30)
        let proposal = try chain.sign(
            .governanceProposal(GovernanceProposal(action: .updateMember(sichuan), expiresAtHeight: 100)),
            by: LedgerFixture.guangdong
        )
        let digest = hash.hash(document)
        let subject = CertificateRef(code: code, number: number, hash: hash)
        let anchor = try chain.sign(
            .certificateAnchor(
                CertificateAnchor(
                    certificate: subject,
                    documentCommitment: CertificateAnchor.documentCommitment(
                        documentDigest: digest,
                        secret: code.secret,
                        hash: hash
                    ),
                    kind: .marriage
                )
            ),
            by: LedgerFixture.guangdong
        )
        let approve = TransactionPayload.governanceApproval(GovernanceApproval(proposalID: proposal.id(hash: hash)))
        let approvals = try [LedgerFixture.zhejiang, LedgerFixture.sichuan].map { try chain.sign(approve, by: $0) }
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
        for transactions in [[proposal, anchor], approvals, [], [], [revoke], []] {
            let results = try chain.append(transactions)
            #expect(results.allSatisfy { $0.isApplied }, "\(results)")
        }
        let headers = chain.headers
        let certificates = chain.certificates
        let new = try store.validatorSet(at: 2, rules: fixture.genesis.rules)
        let builder = ReceiptBuilder(source: store, rules: fixture.genesis.rules)
        func evidence(_ number: String, _ height: UInt64) throws -> CertificateEvidence {
            let subject = CertificateRef(code: code, number: number, hash: hash)
            guard case .certificate(let evidence) = try builder.certificate(subject, height: height).content
            else { throw CanonicalDecodingError(.unknownTag, at: 0, "not a certificate receipt") }
            return evidence
        }
        var evidenceByHeight: [UInt64: CertificateEvidence] = [:]
        for height in headers.keys { evidenceByHeight[height] = try evidence(number, height) }
        var receipts: [String: Receipt] = [:]
        for (name, transaction) in [("proposal", proposal), ("anchor", anchor), ("revoke", revoke)] {
            receipts[name] = try builder.transaction(transaction.id(hash: hash))
        }
        return VerifiedChain(
            fixture: fixture,
            headers: headers,
            certificates: certificates,
            old: try store.validatorSet(at: 0, rules: fixture.genesis.rules),
            new: new,
            evidence: evidenceByHeight,
            absent: try evidence("GD-never", 6),
            transactionReceipts: receipts
        )
    }
}
