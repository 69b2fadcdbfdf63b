import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Subsidies: one person paid twice for the same programme and period, by any department, is caught.
struct SubsidyRulesTests {
    @Test func duplicateAcrossDepartmentsIsRefusedWhole() throws {
        var ledger = LedgerFixture(duplicateSubsidy: .refuse)
        #expect(ledger.submit(Payloads.subsidy(["p1", "p2", "p3"]), from: LedgerFixture.guangdong).isApplied)
        let second = ledger.submit(Payloads.subsidy(["p4", "p2"]), from: LedgerFixture.zhejiang)
        #expect(second.rejection == .duplicateSubsidy)
        #expect(second.message.contains("440000"))
        // Refused whole: p4 was not recorded, so a clean batch with it still applies.
        #expect(ledger.submit(Payloads.subsidy(["p4"]), from: LedgerFixture.zhejiang).isApplied)
        // Another period or programme is not a duplicate.
        #expect(ledger.submit(Payloads.subsidy(["p1"], period: "2026-12"), from: LedgerFixture.zhejiang).isApplied)
        #expect(
            ledger.submit(Payloads.subsidy(["p1"], programme: "disability"), from: LedgerFixture.zhejiang).isApplied
        )
        // The same department paying twice is a duplicate too.
        #expect(ledger.submit(Payloads.subsidy(["p3"]), from: LedgerFixture.guangdong).rejection == .duplicateSubsidy)
    }

    @Test func duplicateIsFlaggedAndQueryableWhenGenesisSaysFlag() throws {
        var ledger = LedgerFixture(duplicateSubsidy: .flag)
        #expect(ledger.submit(Payloads.subsidy(["p1", "p2"]), from: LedgerFixture.guangdong).isApplied)
        let second = ledger.submit(Payloads.subsidy(["p2", "p3"]), from: LedgerFixture.zhejiang)
        #expect(second.isApplied && second.message.contains("1 duplicate"))
        let list = try #require(
            ledger.read(
                SubsidyConflictList.self,
                ledger.stateKeys.subsidyConflicts(programme: "rural-pension", period: "2026-11")
            )
        )
        #expect(list.conflicts.count == 1)
        #expect(list.conflicts[0].tag == .of("tag p2"))
        #expect(list.conflicts[0].first.payer == LedgerFixture.guangdong)
        #expect(list.conflicts[0].second.payer == LedgerFixture.zhejiang)
        // The first payment stays the reference for later checks.
        let tag = ledger.read(
            SubsidyTagRecord.self,
            ledger.stateKeys.subsidyTag(programme: "rural-pension", period: "2026-11", tag: .of("tag p2"))
        )
        #expect(tag?.payer == LedgerFixture.guangdong)
    }

    @Test func malformedBatchesAreRefused() {
        var ledger = LedgerFixture()
        #expect(
            ledger.submit(Payloads.subsidy(["a", "a"]), from: LedgerFixture.guangdong).rejection == .invalidSubsidyBatch
        )
        #expect(ledger.submit(Payloads.subsidy([]), from: LedgerFixture.guangdong).rejection == .invalidSubsidyBatch)
        let miscounted = TransactionPayload.subsidyBatch(
            SubsidyBatch(
                programme: "x",
                period: "y",
                recordCount: 5,
                totalAmount: 1,
                recordsRoot: .of("r"),
                beneficiaryTags: [.of("t")]
            )
        )
        #expect(ledger.submit(miscounted, from: LedgerFixture.guangdong).rejection == .invalidSubsidyBatch)
        #expect(ledger.submit(Payloads.subsidy(["b"]), from: LedgerFixture.sichuan).rejection == .roleNotAllowed)
    }
}
