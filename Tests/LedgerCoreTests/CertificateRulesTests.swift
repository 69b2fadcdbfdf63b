import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Certificates: only registrars anchor or change them; any registrar may change any certificate; the
/// history keeps who did what; revoked and superseded are final.
struct CertificateRulesTests {
    @Test func registrarAnchorsAndAnotherProvinceRecordsTheDivorce() throws {
        var ledger = LedgerFixture()
        #expect(ledger.submit(Payloads.anchor("A"), from: LedgerFixture.guangdong).isApplied)
        let change = ledger.submit(Payloads.statusChange("A", .superseded), from: LedgerFixture.zhejiang)
        #expect(change.isApplied, "\(change.message)")
        let record = try #require(ledger.read(CertificateRecord.self, ledger.stateKeys.certificate(.of("key A"))))
        #expect(record.issuer == LedgerFixture.guangdong)
        #expect(record.status == .superseded)
        #expect(record.history.map(\.by) == [LedgerFixture.guangdong, LedgerFixture.zhejiang])
        #expect(record.history.map(\.status) == [.valid, .superseded])
        #expect(record.history.map(\.height) == [1, 2])
    }

    @Test func onlyRegistrarsAnchorOrChange() {
        var ledger = LedgerFixture()
        for id in [LedgerFixture.charity, LedgerFixture.auditor] {
            #expect(ledger.submit(Payloads.anchor("X"), from: id).rejection == .roleNotAllowed)
        }
        #expect(ledger.submit(Payloads.anchor("A"), from: LedgerFixture.sichuan).isApplied)
        #expect(
            ledger.submit(Payloads.statusChange("A", .revoked), from: LedgerFixture.charity).rejection
                == .roleNotAllowed
        )
        #expect(ledger.read(CertificateRecord.self, ledger.stateKeys.certificate(.of("key A")))?.status == .valid)
    }

    @Test func anchorsAreUniqueAndChangesNeedAnExistingCertificate() {
        var ledger = LedgerFixture()
        #expect(ledger.submit(Payloads.anchor("A"), from: LedgerFixture.guangdong).isApplied)
        #expect(ledger.submit(Payloads.anchor("A"), from: LedgerFixture.zhejiang).rejection == .certificateExists)
        #expect(
            ledger.submit(Payloads.statusChange("B", .revoked), from: LedgerFixture.zhejiang).rejection
                == .certificateNotFound
        )
        #expect(
            ledger.submit(Payloads.statusChange("A", .valid), from: LedgerFixture.zhejiang).rejection
                == .invalidStatusChange
        )
    }

    @Test func finalStatusesStayFinalAndCorrectedDoesNot() {
        var ledger = LedgerFixture()
        ledger.submit(Payloads.anchor("A"), from: LedgerFixture.guangdong)
        #expect(ledger.submit(Payloads.statusChange("A", .corrected), from: LedgerFixture.guangdong).isApplied)
        #expect(ledger.submit(Payloads.statusChange("A", .revoked), from: LedgerFixture.sichuan).isApplied)
        for status in [CertificateStatus.revoked, .superseded, .corrected] {
            #expect(
                ledger.submit(Payloads.statusChange("A", status), from: LedgerFixture.zhejiang).rejection
                    == .certificateFinal
            )
        }
        let record = ledger.read(CertificateRecord.self, ledger.stateKeys.certificate(.of("key A")))
        #expect(record?.history.count == 3)
    }

    @Test func batchRootsAnchorOnceWithAtLeastOneLeaf() {
        var ledger = LedgerFixture()
        let batch = TransactionPayload.batchAnchor(BatchAnchor(root: .of("root"), leafCount: 1000, label: "diplomas"))
        #expect(ledger.submit(batch, from: LedgerFixture.guangdong).isApplied)
        #expect(ledger.submit(batch, from: LedgerFixture.zhejiang).rejection == .batchExists)
        let empty = TransactionPayload.batchAnchor(BatchAnchor(root: .of("other"), leafCount: 0, label: ""))
        #expect(ledger.submit(empty, from: LedgerFixture.guangdong).rejection == .invalidBatch)
        #expect(ledger.submit(batch, from: LedgerFixture.charity).rejection == .roleNotAllowed)
    }
}
