import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Node
import P2P
import Storage
import Testing

/// Validators admitted and removed by governance on a running network (in one process, real TLS and
/// RocksDB): the admitted one joins, syncs and signs; the removed one is cut off and cannot come back.
@Suite(.serialized) struct GovernanceNetworkTests {
    @Test func anAdmittedValidatorSignsAndARemovedOneIsCutOff() async throws {
        let network = try TestNetwork(validators: 4, outsiders: 1)
        for index in 0..<4 { try await network.start(index) }
        let hash = network.genesis.suite.suite.hashFunction
        let newcomer = network.outsiderMembers[0]
        // DEPT-0 proposes; DEPT-1 and DEPT-2 approve: 30 of 40 power, more than two thirds.
        let proposal = try network.transaction(
            .governanceProposal(GovernanceProposal(action: .admitMember(newcomer), expiresAtHeight: 10_000)),
            from: "DEPT-0",
            sequence: 0
        )
        let proposalID = proposal.id(hash: hash)
        _ = network.nodes[0]!.submit([proposal])
        #expect(await network.commit([proposal], on: [0]))
        var approvals: [SignedTransaction] = []
        for (index, name) in ["DEPT-1", "DEPT-2"].enumerated() {
            let approval = try network.transaction(
                .governanceApproval(GovernanceApproval(proposalID: proposalID)),
                from: name,
                sequence: 0
            )
            _ = network.nodes[index + 1]!.submit([approval])
            approvals.append(approval)
        }
        let store = network.nodes[0]!.store
        let keys = network.genesis.rules.keys
        // The approvals commit, and with the second the admission takes effect.
        #expect(await network.commit(approvals, on: [0]))
        #expect(
            await eventually {
                let record = try? store.value(at: keys.member(newcomer.id), height: store.committedHeight())
                return record != nil
            }
        )
        let admittedAt = try store.committedHeight()

        // The newcomer's node starts (from height 0), syncs, and its precommits appear in certificates.
        try await network.start(4)
        let newcomerIndex = UInt16(4)
        #expect(await network.reach(4, admittedAt))
        #expect(
            await eventually {
                let height = (try? store.committedHeight()) ?? 0
                guard height > admittedAt + 3 else { return false }
                return ((admittedAt + 3)...height).contains { h in
                    (try? store.certificate(at: h))??.signatures.contains { $0.validatorIndex == newcomerIndex }
                        ?? false
                }
            },
            "the admitted validator never signed"
        )

        // Removal needs four approvals now: 40 of 50.
        let removal = try network.transaction(
            .governanceProposal(GovernanceProposal(action: .removeMember(newcomer.id), expiresAtHeight: 10_000)),
            from: "DEPT-1",
            sequence: 1
        )
        let removalID = removal.id(hash: hash)
        _ = network.nodes[1]!.submit([removal])
        #expect(await network.commit([removal], on: [0]))
        var removalApprovals: [SignedTransaction] = []
        for (index, name, sequence) in [(2, "DEPT-2", UInt64(1)), (3, "DEPT-3", 0), (0, "DEPT-0", 1)] {
            let approval = try network.transaction(
                .governanceApproval(GovernanceApproval(proposalID: removalID)),
                from: name,
                sequence: sequence
            )
            _ = network.nodes[index]!.submit([approval])
            removalApprovals.append(approval)
        }
        #expect(await network.commit(removalApprovals, on: [0]))
        #expect(
            await eventually {
                (0..<4).allSatisfy { network.nodes[$0]!.network.peer(newcomer.id) == nil }
            },
            "the removed node is still connected"
        )
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect((0..<4).allSatisfy { network.nodes[$0]!.network.peer(newcomer.id) == nil }, "it came back")
        // The others keep committing.
        let before = try store.committedHeight()
        #expect(await network.reach(0, before + 3))
        try await network.stopAll()
    }
}
