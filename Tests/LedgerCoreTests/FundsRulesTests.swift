import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Charity funds: a project never spends more than it received, whatever order things arrive in.
struct FundsRulesTests {
    @Test func disbursementsCannotExceedDonations() throws {
        var ledger = LedgerFixture()
        let charity = LedgerFixture.charity
        #expect(ledger.submit(Payloads.disbursement("school-meals", 1), from: charity).rejection == .projectNotFound)
        #expect(ledger.submit(Payloads.donation("school-meals", 500), from: charity).isApplied)
        #expect(ledger.submit(Payloads.donation("school-meals", 300), from: charity).isApplied)
        #expect(ledger.submit(Payloads.disbursement("school-meals", 801), from: charity).rejection == .overspend)
        #expect(ledger.submit(Payloads.disbursement("school-meals", 600), from: charity).isApplied)
        #expect(ledger.submit(Payloads.disbursement("school-meals", 201), from: charity).rejection == .overspend)
        #expect(ledger.submit(Payloads.disbursement("school-meals", 200), from: charity).isApplied)
        #expect(ledger.submit(Payloads.disbursement("school-meals", 1), from: charity).rejection == .overspend)

        let key = ledger.stateKeys.project(charity: charity, project: ProjectID("school-meals")!)
        let project = try #require(ledger.read(ProjectRecord.self, key))
        #expect(project.received == 800 && project.spent == 800 && project.balance == 0)
        #expect(project.donationCount == 2 && project.disbursementCount == 2)
        let second = ledger.read(DonationRecord.self, ledger.stateKeys.donation(project: key, index: 1))
        #expect(second?.payload.amount == 300)
        #expect(
            ledger.read(DisbursementRecord.self, ledger.stateKeys.disbursement(project: key, index: 1))?.payload.amount
                == 200
        )
        #expect(ledger.read(DisbursementRecord.self, ledger.stateKeys.disbursement(project: key, index: 2)) == nil)
    }

    /// Random interleavings of donations and disbursements, several per block: the invariant holds after
    /// every block, and the totals equal the sum of what was applied.
    @Test func invariantHoldsUnderRandomSequences() throws {
        var random = SeededGenerator(seed: 42)
        var ledger = LedgerFixture()
        let key = ledger.stateKeys.project(charity: LedgerFixture.charity, project: ProjectID("p")!)
        var received: UInt64 = 0
        var spent: UInt64 = 0
        for _ in 0..<60 {
            var block: [SignedTransaction] = []
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let amount = UInt64.random(in: 1...1_000, using: &random)
                let payload =
                    Bool.random(using: &random) ? Payloads.donation("p", amount) : Payloads.disbursement("p", amount)
                let signed = ledger.sign(payload, key: ledger.keys[LedgerFixture.charity]!)
                ledger.sequences[signed.transaction.sender] = signed.transaction.sequence + 1
                block.append(signed)
            }
            for (signed, result) in zip(block, ledger.execute(block)) where result.isApplied {
                switch signed.transaction.payload {
                case .donation(let donation): received += donation.amount
                case .disbursement(let disbursement): spent += disbursement.amount
                default: break
                }
            }
            if let project = ledger.read(ProjectRecord.self, key) {
                #expect(project.spent <= project.received)
                #expect(project.received == received && project.spent == spent)
            }
        }
        #expect(spent > 0)
    }

    @Test func projectsBelongToTheirCharityAndAmountsArePositiveAndBounded() {
        let other = LedgerFixture.key("second charity", suite: Secp256k1SHA256Suite.shared)
        var ledger = LedgerFixture(extra: [LedgerFixture.member(OrgID("53100000MA0000000X")!, [.charity], key: other)])
        ledger.keys[OrgID("53100000MA0000000X")!] = other
        #expect(ledger.submit(Payloads.donation("p", 100), from: LedgerFixture.charity).isApplied)
        #expect(
            ledger.submit(Payloads.disbursement("p", 50), from: OrgID("53100000MA0000000X")!).rejection
                == .projectNotFound
        )
        #expect(ledger.submit(Payloads.donation("p", 0), from: LedgerFixture.charity).rejection == .invalidAmount)
        #expect(ledger.submit(Payloads.disbursement("p", 0), from: LedgerFixture.charity).rejection == .invalidAmount)
        #expect(
            ledger.submit(Payloads.donation("p", UInt64.max), from: LedgerFixture.charity).rejection == .amountOverflow
        )
        #expect(ledger.submit(Payloads.donation("p", 1), from: LedgerFixture.guangdong).rejection == .roleNotAllowed)
    }
}
