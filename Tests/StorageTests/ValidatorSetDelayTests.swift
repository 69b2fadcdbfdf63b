import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing

/// `Consensus/SPEC.md` §1: a validator-set change committed in block c governs heights from c + d on. The
/// headers say so: `validatorSetHash` of h is V(h), `nextValidatorSetHash` of h is V(h + 1).
struct ValidatorSetDelayTests {
    @Test func aPowerChangeReachesTheHeadersExactlyDHeightsLater() throws {
        let directory = TemporaryDirectory("civic-delay")
        var fixture = LedgerFixture()
        let delay = fixture.genesis.rules.validatorSetDelay
        #expect(delay == 2)
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        defer { store.close() }
        try store.initialize(genesis: fixture.genesis)

        // Sichuan's power goes from 10 to 30: proposed in block 1, approved by all three validators in block 2.
        let sichuanKey = try #require(fixture.keys[LedgerFixture.sichuan])
        let sichuan = LedgerFixture.member(LedgerFixture.sichuan, [.validator, .registrar], key: sichuanKey, power: 30)
        let change = TransactionPayload.governanceProposal(
            GovernanceProposal(action: .updateMember(sichuan), expiresAtHeight: 100)
        )
        let proposal = fixture.sign(change, key: try #require(fixture.keys[LedgerFixture.guangdong]), sequence: 0)
        let approve = TransactionPayload.governanceApproval(
            GovernanceApproval(proposalID: proposal.id(hash: fixture.suite.hashFunction))
        )
        let approvals = try [LedgerFixture.zhejiang, LedgerFixture.sichuan].map { id in
            fixture.sign(approve, key: try #require(fixture.keys[id]), sequence: 0)
        }
        var headers: [BlockHeader] = []
        let blocks: [[SignedTransaction]] = [[proposal], approvals, [], [], []]
        for transactions in blocks {
            let (block, results, prepared) = try store.buildNextBlock(
                transactions,
                executor: fixture.executor,
                time: 1_795_478_400 + UInt64(headers.count),
                proposer: LedgerFixture.guangdong,
                lastCommit: nil
            )
            #expect(results.allSatisfy { $0.isApplied }, "\(results)")
            try store.commit(block, certificate: nil, results: results, state: prepared)
            headers.append(block.header)
        }
        let changedIn: UInt64 = 2
        let old = try store.validatorSet(at: 0, rules: fixture.genesis.rules)
        let new = try store.validatorSet(at: changedIn, rules: fixture.genesis.rules)
        #expect(old.totalPower == 30 && new.totalPower == 50)
        let hash = fixture.suite.hashFunction
        for header in headers {
            let expected = header.height >= changedIn + delay ? new : old
            let expectedNext = header.height + 1 >= changedIn + delay ? new : old
            #expect(header.validatorSetHash == expected.hash(hash), "V(\(header.height))")
            #expect(header.nextValidatorSetHash == expectedNext.hash(hash), "V(\(header.height + 1))")
        }
    }
}
