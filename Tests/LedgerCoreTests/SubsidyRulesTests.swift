import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Subsidies: a programme belongs to its owner and the payers it lists; one person paid twice for the same
/// programme and period, by any of them, is caught.
struct SubsidyRulesTests {
    /// A ledger where Guangdong owns `rural-pension` and lets Zhejiang pay under it.
    func ledger(_ rule: DuplicateSubsidyRule) -> LedgerFixture {
        var ledger = LedgerFixture(duplicateSubsidy: rule)
        #expect(ledger.submit(Payloads.pensionRegistration, from: LedgerFixture.guangdong).isApplied)
        return ledger
    }

    @Test func duplicateAcrossPayersIsRefusedWhole() throws {
        var ledger = ledger(.refuse)
        #expect(ledger.submit(Payloads.subsidy(["p1", "p2", "p3"]), from: LedgerFixture.guangdong).isApplied)
        let second = ledger.submit(Payloads.subsidy(["p4", "p2"]), from: LedgerFixture.zhejiang)
        #expect(second.rejection == .duplicateSubsidy)
        #expect(second.message.contains("440000"))
        // Refused whole: p4 was not recorded, so a clean batch with it still applies.
        #expect(ledger.submit(Payloads.subsidy(["p4"]), from: LedgerFixture.zhejiang).isApplied)
        // Another period is not a duplicate.
        #expect(ledger.submit(Payloads.subsidy(["p1"], period: "2026-12"), from: LedgerFixture.zhejiang).isApplied)
        // The same payer paying twice is a duplicate too.
        #expect(ledger.submit(Payloads.subsidy(["p3"]), from: LedgerFixture.guangdong).rejection == .duplicateSubsidy)
    }

    @Test func duplicateIsFlaggedAndQueryableWhenGenesisSaysFlag() throws {
        var ledger = ledger(.flag)
        #expect(ledger.submit(Payloads.subsidy(["p1", "p2"]), from: LedgerFixture.guangdong).isApplied)
        let second = ledger.submit(Payloads.subsidy(["p2", "p3"]), from: LedgerFixture.zhejiang)
        #expect(second.isApplied && second.message.contains("1 duplicate"))
        let period = try #require(SubsidyPeriod("2026-11"))
        let list = try #require(
            ledger.read(
                SubsidyConflictList.self,
                ledger.stateKeys.subsidyConflicts(programme: Payloads.pension, period: period)
            )
        )
        #expect(list.conflicts.count == 1)
        #expect(list.conflicts[0].tag == .of("tag p2"))
        #expect(list.conflicts[0].first.payer == LedgerFixture.guangdong)
        #expect(list.conflicts[0].second.payer == LedgerFixture.zhejiang)
        // The first payment stays the reference for later checks.
        let tag = ledger.read(
            SubsidyTagRecord.self,
            ledger.stateKeys.subsidyTag(programme: Payloads.pension, period: period, tag: .of("tag p2"))
        )
        #expect(tag?.payer == LedgerFixture.guangdong)
    }

    /// Issue 16, finding 4: a payer pre-claimed one beneficiary's tag in a programme it does not run, and the
    /// department that runs it could then not record its batch (`refuse`). A programme now belongs to its
    /// owner; others pay under it only when listed, and a same-named programme of another member is another
    /// programme.
    @Test func onlyTheOwnerAndListedPayersPayUnderAProgramme() throws {
        var ledger = LedgerFixture(duplicateSubsidy: .refuse)
        let dibao = ProgrammeRef(owner: LedgerFixture.guangdong, name: try #require(ProgrammeID("dibao")))
        let unregistered = ledger.submit(Payloads.subsidy(["a"], programme: dibao), from: LedgerFixture.guangdong)
        #expect(unregistered.rejection == .programmeNotFound)
        #expect(ledger.submit(Payloads.programme("dibao"), from: LedgerFixture.guangdong).isApplied)
        // Zhejiang tries to pre-claim a beneficiary of Guangdong's programme.
        let squat = ledger.submit(Payloads.subsidy(["victim"], programme: dibao), from: LedgerFixture.zhejiang)
        #expect(squat.rejection == .notProgrammePayer)
        #expect(
            ledger.submit(Payloads.subsidy(["victim", "b"], programme: dibao), from: LedgerFixture.guangdong).isApplied
        )
        // Its own "dibao" is its own programme: paying there touches nothing of Guangdong's.
        #expect(ledger.submit(Payloads.programme("dibao"), from: LedgerFixture.zhejiang).isApplied)
        let own = ProgrammeRef(owner: LedgerFixture.zhejiang, name: dibao.name)
        #expect(ledger.submit(Payloads.subsidy(["victim"], programme: own), from: LedgerFixture.zhejiang).isApplied)
        // Listed by the owner, Zhejiang pays under Guangdong's programme, and duplicates are caught; the
        // owner can take the listing back.
        #expect(
            ledger.submit(Payloads.programme("dibao", payers: [LedgerFixture.zhejiang]), from: LedgerFixture.guangdong)
                .isApplied
        )
        let paid = ledger.submit(Payloads.subsidy(["victim"], programme: dibao), from: LedgerFixture.zhejiang)
        #expect(paid.rejection == .duplicateSubsidy)
        #expect(ledger.submit(Payloads.subsidy(["c"], programme: dibao), from: LedgerFixture.zhejiang).isApplied)
        #expect(ledger.submit(Payloads.programme("dibao"), from: LedgerFixture.guangdong).isApplied)
        #expect(
            ledger.submit(Payloads.subsidy(["d"], programme: dibao), from: LedgerFixture.zhejiang).rejection
                == .notProgrammePayer
        )
    }

    /// Issue 16 review: `2026-07` and `2026-Q3` are both canonical and overlap; a person paid for the month and
    /// for the quarter was paid twice unseen. A programme pays by one kind of period, fixed at registration.
    @Test func aProgrammePaysByOneKindOfPeriod() {
        var ledger = ledger(.refuse)
        #expect(ledger.submit(Payloads.subsidy(["p1"], period: "2026-07"), from: LedgerFixture.guangdong).isApplied)
        let quarter = ledger.submit(Payloads.subsidy(["p1"], period: "2026-Q3"), from: LedgerFixture.zhejiang)
        #expect(quarter.rejection == .invalidSubsidyBatch && quarter.message.contains("pays by month"))
        #expect(
            ledger.submit(Payloads.subsidy(["p1"], period: "2026"), from: LedgerFixture.zhejiang).rejection
                == .invalidSubsidyBatch
        )
        let switched = ledger.submit(
            Payloads.programme(periods: .quarter, payers: [LedgerFixture.zhejiang]),
            from: LedgerFixture.guangdong
        )
        #expect(switched.rejection == .invalidProgramme)
    }

    @Test func aProgrammeListsOnlyCurrentPayersOnce() {
        var ledger = LedgerFixture()
        for payers in [
            [LedgerFixture.sichuan],  // no payer role
            [OrgID("999999")!],  // no such member
            [LedgerFixture.zhejiang, LedgerFixture.zhejiang],
            [LedgerFixture.guangdong],  // the owner itself
        ] {
            let result = ledger.submit(Payloads.programme("dibao", payers: payers), from: LedgerFixture.guangdong)
            #expect(result.rejection == .invalidProgramme, "\(payers)")
        }
    }

    @Test func malformedBatchesAreRefused() {
        var ledger = ledger(.refuse)
        #expect(
            ledger.submit(Payloads.subsidy(["a", "a"]), from: LedgerFixture.guangdong).rejection == .invalidSubsidyBatch
        )
        #expect(ledger.submit(Payloads.subsidy([]), from: LedgerFixture.guangdong).rejection == .invalidSubsidyBatch)
        let miscounted = TransactionPayload.subsidyBatch(
            SubsidyBatch(
                programme: Payloads.pension,
                period: SubsidyPeriod("2026")!,
                recordCount: 5,
                totalAmount: 1,
                recordsRoot: .of("r"),
                beneficiaryTags: [.of("t")]
            )
        )
        #expect(ledger.submit(miscounted, from: LedgerFixture.guangdong).rejection == .invalidSubsidyBatch)
        #expect(ledger.submit(Payloads.subsidy(["b"]), from: LedgerFixture.sichuan).rejection == .roleNotAllowed)
    }

    /// Issue 16, finding 5: `Dibao` after `dibao`, `2026-7` after `2026-07`. A batch spelling its programme or
    /// period any other way than the canonical one does not even decode.
    @Test func onlyCanonicalProgrammesAndPeriodsDecode() throws {
        func batchBytes(name: String, period: String) -> [UInt8] {
            var writer = CanonicalWriter()
            writer.write(LedgerFixture.guangdong)
            writer.write(name)
            writer.write(period)
            writer.write(UInt32(1))
            writer.write(UInt64(100))
            writer.write(Digest.of("r"))
            writer.write([Digest.of("t")])
            return writer.bytes
        }
        #expect(throws: Never.self) { try SubsidyBatch(canonicalBytes: batchBytes(name: "dibao", period: "2026-07")) }
        for (name, period) in [
            ("Dibao", "2026-07"), ("dibao ", "2026-07"), ("dibao", "2026-7"), ("dibao", "2026/07"),
            ("dibao", "2026-13"), ("dibao", "2026-q3"), ("dibao", "2026-Q5"), ("dibao", "1999"),
        ] {
            #expect(throws: CanonicalDecodingError.self, "\(name) \(period)") {
                try SubsidyBatch(canonicalBytes: batchBytes(name: name, period: period))
            }
        }
        // What people type becomes the one spelling.
        #expect(ProgrammeID.normalising(" Dibao ")?.value == "dibao")
        #expect(ProgrammeRef.normalising(" 440000 / Dibao")?.description == "440000/dibao")
        #expect(
            ["dibao", "440000/", "/dibao", "440000/di bao", "a/b/c"].allSatisfy { ProgrammeRef.normalising($0) == nil }
        )
        #expect(
            ["2026-7", "2026/07", "2026-07", " 2026-07 "].map { SubsidyPeriod.normalising($0)?.value }
                == Array(repeating: "2026-07", count: 4)
        )
        #expect(
            ["2026q3", "2026-Q3", "2026/q3"].map { SubsidyPeriod.normalising($0)?.value } == [
                "2026-Q3", "2026-Q3", "2026-Q3",
            ]
        )
        #expect(SubsidyPeriod.normalising("2026")?.value == "2026")
        #expect(
            ["2026-00", "2026-13", "2026-Q0", "26-07", "2026-007", "July"].allSatisfy {
                SubsidyPeriod.normalising($0) == nil
            }
        )
    }
}
