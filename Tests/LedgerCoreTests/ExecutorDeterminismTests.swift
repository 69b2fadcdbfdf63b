import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// The same block on the same state gives byte-identical results and writes, in both suites, whether
/// signatures were pre-verified or not.
struct ExecutorDeterminismTests {
    @Test(arguments: CryptoSuiteID.allCases)
    func sameBlockSameOutcome(suite: CryptoSuiteID) throws {
        var ledger = LedgerFixture(suite: suite, duplicateSubsidy: .flag)
        var block: [SignedTransaction] = []
        func add(_ payload: TransactionPayload, _ id: OrgID) {
            let signed = ledger.sign(payload, key: ledger.keys[id]!)
            ledger.sequences[signed.transaction.sender] = signed.transaction.sequence + 1
            block.append(signed)
        }
        add(Payloads.anchor("A"), LedgerFixture.guangdong)
        add(Payloads.anchor("D", issuer: LedgerFixture.zhejiang, kind: .divorce), LedgerFixture.zhejiang)
        let divorce = Payloads.certificate("D", issuer: LedgerFixture.zhejiang)
        add(Payloads.statusChange("A", .superseded, replacement: divorce), LedgerFixture.zhejiang)
        add(Payloads.donation("p", 10), LedgerFixture.charity)
        add(Payloads.disbursement("p", 11), LedgerFixture.charity)
        add(Payloads.pensionRegistration, LedgerFixture.guangdong)
        add(Payloads.subsidy(["x", "y"]), LedgerFixture.guangdong)
        add(Payloads.subsidy(["y", "z"]), LedgerFixture.zhejiang)
        let context = BlockContext(height: 1, time: 100)
        let first = try ledger.executor.execute(block, context: context, state: ledger.state)
        let ids = Set(block.map { $0.id(hash: ledger.suite.hashFunction) })
        let second = try Executor(rules: ledger.genesis.rules).execute(
            block,
            context: context,
            state: ledger.state,
            verifiedIDs: ids
        )
        #expect(first.results == second.results)
        #expect(first.writes == second.writes)
        #expect(first.results.map(\.code) == ["ok", "ok", "ok", "ok", "overspend", "ok", "ok", "ok"])
        #expect(first.writes.map(\.key) == first.writes.map(\.key).sorted())
    }
}
