import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing
import Verifier

extension CertificateEvidence {
    /// This evidence with some parts replaced, for forgeries.
    func replacing(
        subject: CertificateRef? = nil,
        record: CertificateRecord?? = nil,
        certificate: CommitCertificate? = nil,
        handOffs: [ValidatorHandOff]? = nil,
        transaction: TransactionEvidence?? = nil
    ) -> CertificateEvidence {
        CertificateEvidence(
            subject: subject ?? self.subject,
            record: record ?? self.record,
            proof: proof,
            header: header,
            certificate: certificate ?? self.certificate,
            handOffs: handOffs ?? self.handOffs,
            transaction: transaction ?? self.transaction
        )
    }
}

/// A certificate checked against ledger evidence with the genesis file alone (`docs/verifier.md`,
/// "Certificates"): each check named, the standing as of the evidence's height, and every forgery refused.
struct CertificateVerifierTests {
    func names(_ verdict: CertificateVerdict) -> [String] { verdict.checks.map(\.name) }
    func failed(_ verdict: CertificateVerdict) -> [String] { verdict.checks.filter { !$0.passed }.map(\.name) }

    @Test(arguments: CryptoSuiteID.allCases)
    func aValidCertificateAndALaterRevocationAreReportedAsOfTheirHeight(suite: CryptoSuiteID) throws {
        let chain = try VerifiedChain.make(suite: suite)
        let valid = CertificateVerifier.verify(
            documentDigest: chain.documentDigest,
            number: VerifiedChain.number,
            code: VerifiedChain.code,
            evidence: chain.evidence[4]!,
            trust: chain.trust
        )
        #expect(
            names(valid) == [
                "chain", "validator sets", "header", "commit certificate", "state proof", "inclusion proof", "document",
            ]
        )
        #expect(failed(valid).isEmpty)
        #expect(valid.isValid && valid.record?.status == .valid && valid.height == 4)
        #expect(valid.checks[1].detail.hasPrefix("trusting genesis \(chain.genesis.hash.hex.prefix(16))…: "))
        #expect(valid.checks[1].detail.hasSuffix("1 further validator-set hand-off followed to height 4"))
        #expect(valid.checks[3].detail.contains("holding 50 of 50 voting power"))
        #expect(valid.checks[5].detail.contains("\(LedgerFixture.guangdong) recorded the anchoring in transaction"))
        // Before the hand-off, from genesis alone.
        let early = CertificateVerifier.verify(
            documentDigest: chain.documentDigest,
            number: VerifiedChain.number,
            code: VerifiedChain.code,
            evidence: chain.evidence[2]!,
            trust: chain.trust
        )
        #expect(early.isValid && early.checks[1].detail.contains("the set it trusts for height 2 signs it"))
        // Revoked in block 5: every check passes, and the verdict is "not valid".
        let revoked = CertificateVerifier.verify(
            documentDigest: chain.documentDigest,
            number: VerifiedChain.number,
            code: VerifiedChain.code,
            evidence: chain.evidence[6]!,
            trust: chain.trust
        )
        #expect(failed(revoked).isEmpty)
        #expect(!revoked.isValid && revoked.record?.status == .revoked)
        #expect(revoked.record?.history.last?.reason == ReasonCode("registered-in-error"))
        #expect(revoked.checks[5].detail.contains("recorded the change to revoked"))
    }

    @Test func forgeriesAndMismatchesAreNotValidAndSayWhy() throws {
        let chain = try VerifiedChain.make()
        let evidence = chain.evidence[4]!
        func verdict(
            digest: Digest? = nil,
            number: String = VerifiedChain.number,
            code: VerificationCode = VerifiedChain.code,
            _ evidence: CertificateEvidence
        )
            -> CertificateVerdict
        {
            CertificateVerifier.verify(
                documentDigest: digest ?? chain.documentDigest,
                number: number,
                code: code,
                evidence: evidence,
                trust: chain.trust
            )
        }
        // Another document: every proof holds, and the file is not the one anchored.
        let tamperedDocument = verdict(digest: SHA256().hash(utf8: "an edited certificate"), evidence)
        #expect(failed(tamperedDocument) == ["document"] && !tamperedDocument.isValid && tamperedDocument.proofHolds)
        #expect(
            tamperedDocument.checks.last?.detail.contains("the file was changed, or it is another document") == true
        )
        // Another number or verification code: the evidence is about a different certificate.
        #expect(failed(verdict(number: "GD-2026-000124", evidence)) == ["certificate"])
        let otherSecret = VerificationCode(
            issuer: LedgerFixture.guangdong,
            secret: CertificateSecret(bytes: Array(1...16))!
        )
        #expect(failed(verdict(code: otherSecret, evidence)) == ["certificate"])
        // The right secret under another issuer's name: another certificate.
        let otherIssuer = VerificationCode(issuer: LedgerFixture.zhejiang, secret: VerifiedChain.code.secret)
        #expect(failed(verdict(code: otherIssuer, evidence)) == ["certificate"])
        // A record presented as valid where the proof proves the revoked one.
        let revokedEvidence = chain.evidence[6]!
        let swapped = revokedEvidence.replacing(record: evidence.record, transaction: evidence.transaction)
        let stale = verdict(swapped)
        #expect(failed(stale) == ["state proof"] && !stale.isValid && !stale.proofHolds)
        #expect(stale.checks.last?.detail == "the record is not the one the state proof proves")
        // Evidence after the change without its hand-off.
        #expect(failed(verdict(evidence.replacing(handOffs: []))) == ["validator sets"])
        // A certificate with too little power.
        let weak = evidence.replacing(
            certificate: try CertifiedChain.certificate(
                for: evidence.header,
                validators: chain.new,
                fixture: chain.fixture,
                signers: [0, 1]
            )
        )
        let weakVerdict = verdict(weak)
        #expect(failed(weakVerdict) == ["commit certificate"] && !weakVerdict.isValid)
        #expect(weakVerdict.checks.last?.detail.contains("20 of 50") == true)
        // Another chain's genesis.
        var other = chain.genesis
        other.chainID = ChainID("civic-other")!
        let foreign = CertificateVerifier.verify(
            documentDigest: chain.documentDigest,
            number: VerifiedChain.number,
            code: VerifiedChain.code,
            evidence: evidence,
            trust: VerifiedChain.trust(other)
        )
        #expect(failed(foreign) == ["chain"] && names(foreign) == ["chain"])
        // Another certificate than the evidence was made for.
        func subject(_ number: String) -> CertificateRef {
            CertificateRef(code: VerifiedChain.code, number: number, hash: SHA256())
        }
        let renumbered = verdict(number: "GD-2026-000124", evidence.replacing(subject: subject("GD-2026-000124")))
        #expect(failed(renumbered) == ["state proof"])
        #expect(failed(verdict(evidence.replacing(subject: subject("GD-2026-000999")))) == ["certificate"])
        // The inclusion proof: missing, the anchoring shown for the revoked state, or another transaction.
        #expect(failed(verdict(evidence.replacing(transaction: .some(nil)))) == ["inclusion proof"])
        let revokedWithAnchor = verdict(revokedEvidence.replacing(transaction: evidence.transaction))
        #expect(failed(revokedWithAnchor) == ["inclusion proof"])
        #expect(
            revokedWithAnchor.checks.last?.detail.contains("block 1, the latest event was recorded in block 5") == true
        )
        guard case .transaction(let proposal, _)? = chain.transactionReceipts["proposal"]?.content else {
            Issue.record("no proposal receipt")
            return
        }
        let unrelated = verdict(evidence.replacing(transaction: proposal))
        #expect(failed(unrelated) == ["inclusion proof"])
        #expect(unrelated.checks.last?.detail == "the transaction did not record this certificate's latest event")
        // Never anchored: proven absent — every check passes, and it is not valid.
        let absent = verdict(number: "GD-never", chain.absent)
        #expect(failed(absent).isEmpty && absent.proofHolds && absent.record == nil && !absent.isValid)
        #expect(
            absent.checks.last?.detail.contains("no certificate with this number and verification code is anchored")
                == true
        )
    }

    /// Evidence round-trips through its binary form; every truncation and single-byte change either fails to
    /// decode with a typed error or decodes to something the verifier judges without trapping.
    @Test func evidenceDecodesTotally() throws {
        let chain = try VerifiedChain.make()
        let evidence = chain.evidence[4]!
        let bytes = evidence.canonicalBytes
        #expect(try CertificateEvidence(canonicalBytes: bytes, maximumSize: bytes.count) == evidence)
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: CanonicalDecodingError.self) {
                try CertificateEvidence(canonicalBytes: Array(bytes.prefix(length)), maximumSize: bytes.count)
            }
        }
        var random = SeededGenerator(seed: 31)
        var judged = 0
        for _ in 0..<2_000 {
            var mutated = bytes
            mutated[Int.random(in: 0..<mutated.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            guard let decoded = try? CertificateEvidence(canonicalBytes: mutated, maximumSize: mutated.count) else {
                continue
            }
            let verdict = CertificateVerifier.verify(
                documentDigest: chain.documentDigest,
                number: VerifiedChain.number,
                code: VerifiedChain.code,
                evidence: decoded,
                trust: chain.trust
            )
            // Whatever byte changed — in a signature, a proof, a header, the record or a hand-off — the changed
            // evidence no longer passes every check.
            if decoded != evidence {
                let passedAll = verdict.checks.allSatisfy { $0.passed }
                #expect(!passedAll, "a mutated evidence passed")
                judged += 1
            }
        }
        #expect(judged > 0)
    }
}
