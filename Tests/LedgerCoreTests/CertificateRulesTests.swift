import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Certificates (`docs/rules.md`, "Certificates"): only registrars anchor or change them; a certificate lives
/// in its issuer's namespace; corrections are the issuer's; another registrar ends a certificate only with
/// provenance; final statuses are final and always reachable.
struct CertificateRulesTests {
    let guangdong = LedgerFixture.guangdong
    let zhejiang = LedgerFixture.zhejiang
    let sichuan = LedgerFixture.sichuan

    func stored(
        _ ledger: LedgerFixture,
        _ label: String,
        issuer: OrgID = LedgerFixture.guangdong
    )
        -> CertificateRecord?
    {
        ledger.read(CertificateRecord.self, ledger.stateKeys.certificate(Payloads.certificate(label, issuer: issuer)))
    }

    /// Mutual recognition: a divorce registered in Zhejiang ends a marriage Guangdong registered, naming the
    /// divorce certificate Zhejiang anchored as its provenance.
    @Test func anotherProvinceEndsACertificateWithProvenance() throws {
        var ledger = LedgerFixture()
        #expect(ledger.submit(Payloads.anchor("A"), from: guangdong).isApplied)
        #expect(ledger.submit(Payloads.anchor("D", issuer: zhejiang, kind: .divorce), from: zhejiang).isApplied)
        let divorce = Payloads.certificate("D", issuer: zhejiang)
        let change = ledger.submit(Payloads.statusChange("A", .superseded, replacement: divorce), from: zhejiang)
        #expect(change.isApplied, "\(change.message)")
        let record = try #require(stored(ledger, "A"))
        #expect(record.issuer == guangdong)
        #expect(record.status == .superseded)
        #expect(record.history.map(\.by) == [guangdong, zhejiang])
        #expect(record.history.map(\.status) == [.valid, .superseded])
        #expect(record.history.map(\.height) == [1, 3])
        #expect(record.history.last?.replacement == divorce)
    }

    /// Issue 16, finding 1's class: another registrar can neither correct a certificate (so cannot grow its
    /// history) nor end it without naming a certificate it anchored itself, nor name one that does not exist.
    @Test func anotherRegistrarNeedsProvenanceAndNeverCorrects() {
        var ledger = LedgerFixture()
        #expect(ledger.submit(Payloads.anchor("A"), from: guangdong).isApplied)
        #expect(ledger.submit(Payloads.anchor("G2"), from: guangdong).isApplied)
        #expect(ledger.submit(Payloads.statusChange("A", .corrected), from: zhejiang).rejection == .notIssuer)
        for status in [CertificateStatus.revoked, .superseded] {
            #expect(ledger.submit(Payloads.statusChange("A", status), from: zhejiang).rejection == .provenanceRequired)
            // Someone else's certificate is no provenance for Zhejiang.
            let borrowed = Payloads.statusChange("A", status, replacement: Payloads.certificate("G2"))
            #expect(ledger.submit(borrowed, from: zhejiang).rejection == .provenanceRequired)
            let missing = Payloads.statusChange(
                "A",
                status,
                replacement: Payloads.certificate("none", issuer: zhejiang)
            )
            #expect(ledger.submit(missing, from: zhejiang).rejection == .replacementNotFound)
        }
        #expect(stored(ledger, "A")?.history.count == 1)
        #expect(stored(ledger, "A")?.status == .valid)
    }

    /// Issue 16, finding 1: the history bound cannot make a certificate unrevocable. Corrections stop one
    /// event short; the last place is a final status's, by the issuer or by another with provenance.
    @Test func aFullHistoryStillTakesAFinalStatus() {
        for finisher in [guangdong, zhejiang] {
            var ledger = LedgerFixture()
            #expect(ledger.submit(Payloads.anchor("A"), from: guangdong).isApplied)
            for _ in 1..<(CertificateRecord.maximumEvents - 1) {
                #expect(ledger.submit(Payloads.statusChange("A", .corrected), from: guangdong).isApplied)
            }
            #expect(ledger.submit(Payloads.statusChange("A", .corrected), from: guangdong).rejection == .historyFull)
            var replacement: CertificateRef?
            if finisher != guangdong {
                #expect(
                    ledger.submit(Payloads.anchor("R", issuer: finisher, kind: .decision), from: finisher).isApplied
                )
                replacement = Payloads.certificate("R", issuer: finisher)
            }
            let revoke = ledger.submit(Payloads.statusChange("A", .revoked, replacement: replacement), from: finisher)
            #expect(revoke.isApplied, "\(revoke.message)")
            #expect(stored(ledger, "A")?.history.count == CertificateRecord.maximumEvents)
            #expect(stored(ledger, "A")?.status == .revoked)
        }
    }

    /// Issue 16, finding 2: a registrar that copies a pending anchor cannot take the certificate. The copy
    /// names the issuer and is refused; the same key under the copier's own name is another certificate, and
    /// the real issuer's anchor still applies.
    @Test func aCopiedAnchorTakesNothingFromItsIssuer() throws {
        var ledger = LedgerFixture()
        #expect(ledger.submit(Payloads.anchor("A"), from: zhejiang).rejection == .notIssuer)
        #expect(ledger.submit(Payloads.anchor("A", issuer: zhejiang), from: zhejiang).isApplied)
        #expect(ledger.submit(Payloads.anchor("A"), from: guangdong).isApplied)
        #expect(stored(ledger, "A")?.issuer == guangdong)
        #expect(stored(ledger, "A", issuer: zhejiang)?.issuer == zhejiang)
        // Nor can the copier touch the issuer's record by naming its own.
        #expect(ledger.submit(Payloads.statusChange("A", .corrected, issuer: zhejiang), from: zhejiang).isApplied)
        #expect(stored(ledger, "A")?.history.count == 1)
    }

    @Test func onlyRegistrarsAnchorOrChange() {
        var ledger = LedgerFixture()
        for id in [LedgerFixture.charity, LedgerFixture.auditor] {
            #expect(ledger.submit(Payloads.anchor("X", issuer: id), from: id).rejection == .roleNotAllowed)
        }
        #expect(ledger.submit(Payloads.anchor("A", issuer: sichuan), from: sichuan).isApplied)
        #expect(
            ledger.submit(Payloads.statusChange("A", .revoked, issuer: sichuan), from: LedgerFixture.charity)
                .rejection == .roleNotAllowed
        )
        #expect(stored(ledger, "A", issuer: sichuan)?.status == .valid)
    }

    @Test func anchorsAreUniqueAndChangesNeedAnExistingCertificate() {
        var ledger = LedgerFixture()
        #expect(ledger.submit(Payloads.anchor("A"), from: guangdong).isApplied)
        #expect(ledger.submit(Payloads.anchor("A"), from: guangdong).rejection == .certificateExists)
        #expect(ledger.submit(Payloads.statusChange("B", .revoked), from: guangdong).rejection == .certificateNotFound)
        #expect(ledger.submit(Payloads.statusChange("A", .valid), from: guangdong).rejection == .invalidStatusChange)
        let itself = Payloads.statusChange("A", .superseded, replacement: Payloads.certificate("A"))
        #expect(ledger.submit(itself, from: guangdong).rejection == .invalidStatusChange)
    }

    @Test func finalStatusesStayFinalAndCorrectedDoesNot() {
        var ledger = LedgerFixture()
        ledger.submit(Payloads.anchor("A"), from: guangdong)
        #expect(ledger.submit(Payloads.statusChange("A", .corrected), from: guangdong).isApplied)
        #expect(ledger.submit(Payloads.statusChange("A", .revoked), from: guangdong).isApplied)
        for status in [CertificateStatus.revoked, .superseded, .corrected] {
            #expect(ledger.submit(Payloads.statusChange("A", status), from: guangdong).rejection == .certificateFinal)
        }
        #expect(stored(ledger, "A")?.history.count == 3)
    }

    /// A reason is a code: free text (a name, a sentence) does not even decode.
    @Test func aReasonIsACodeNotText() {
        #expect(ReasonCode("divorce-registered") != nil)
        for text in ["", "Zhang San", "名字", "reason with spaces", String(repeating: "a", count: 65)] {
            #expect(ReasonCode(text) == nil, "\(text)")
        }
    }

    @Test func batchRootsAnchorOnceWithAtLeastOneLeaf() {
        var ledger = LedgerFixture()
        let batch = TransactionPayload.batchAnchor(BatchAnchor(root: .of("root"), leafCount: 1000, label: "diplomas"))
        #expect(ledger.submit(batch, from: guangdong).isApplied)
        #expect(ledger.submit(batch, from: zhejiang).rejection == .batchExists)
        let empty = TransactionPayload.batchAnchor(BatchAnchor(root: .of("other"), leafCount: 0, label: ""))
        #expect(ledger.submit(empty, from: guangdong).rejection == .invalidBatch)
        #expect(ledger.submit(batch, from: LedgerFixture.charity).rejection == .roleNotAllowed)
    }
}
