import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Node
import P2P
import Storage
import Testing

/// Four validators in one process over real mutual TLS and RocksDB: consensus with real timers, the WAL
/// and the signing guard, gossip and mempools.
@Suite(.serialized) struct LocalNetworkTests {
    @Test func fourValidatorsCommitSubmittedTransactionsIdentically() async throws {
        let network = try TestNetwork(validators: 4)
        try await network.startAll()
        // Transactions from two departments, each submitted to a different node.
        let first = try network.anchors(150, from: "DEPT-0")
        let second = try network.anchors(150, from: "DEPT-1")
        let hash = network.genesis.suite.suite.hashFunction
        let results = network.nodes[0]!.submit(first) + network.nodes[2]!.submit(second)
        #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
        let ids = network.ids(first + second)
        #expect(
            await network.commit(first + second, on: [0, 1, 2, 3]),
            "heights \(network.nodes.indices.map(network.height))"
        )
        // Identical blocks and state roots at every height all nodes have.
        let common = network.nodes.indices.map(network.height).min() ?? 0
        #expect(common >= 1)
        print("4 validators: 300 transactions committed by height \(common)")
        for height in 1...max(common, 1) {
            let blocks = try network.nodes.map { try $0!.store.block(at: height) }
            #expect(Set(blocks.map { $0?.header.hash(hash) }).count == 1, "height \(height)")
        }
        for id in ids {
            let location = try #require(try network.nodes[3]!.store.transactionLocation(id))
            #expect(location.result.isApplied)
        }
        try await network.stopAll()
    }
}

/// Faults on the in-process network: nodes stopped and restarted on their files, late starters, quorum loss.
@Suite(.serialized) struct LocalNetworkFaultTests {
    /// One of four down: the other three keep committing; when it returns (same files) it catches up.
    @Test func oneNodeDownTheRestCommitAndItCatchesUpOnReturn() async throws {
        let network = try TestNetwork(validators: 4)
        try await network.startAll()
        try await network.stop(3)
        let batch = try network.anchors(50, from: "DEPT-0")
        _ = network.nodes[0]!.submit(batch)
        #expect(await network.commit(batch, on: [0, 1, 2]))
        let reached = network.height(0)
        try await network.start(3)
        #expect(await network.reach(3, reached))
        #expect(network.allCommitted(network.ids(batch), on: [3]))
        // And it takes part again: more transactions submitted to it commit everywhere.
        let more = try network.anchors(20, from: "DEPT-3")
        _ = network.nodes[3]!.submit(more)
        #expect(await network.commit(more, on: [0, 1, 2, 3]))
        try await network.stopAll()
    }

    /// Two of four down: no quorum, so nothing commits — and nothing forks; with one back, commits resume.
    @Test func twoNodesDownHaltsAndOneReturningResumes() async throws {
        let network = try TestNetwork(validators: 4)
        try await network.startAll()
        #expect(await network.reach(0, 2))
        try await network.stop(2)
        try await network.stop(3)
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let halted = (network.height(0), network.height(1))
        let batch = try network.anchors(20, from: "DEPT-0")
        _ = network.nodes[0]!.submit(batch)
        try await Task.sleep(nanoseconds: 3_000_000_000)
        #expect(network.height(0) == halted.0 && network.height(1) == halted.1, "committed without a quorum")
        try await network.start(2)
        #expect(await network.commit(batch, on: [0, 1, 2]))
        let hash = network.genesis.suite.suite.hashFunction
        let common = [0, 1, 2].map(network.height).min() ?? 0
        for height in 1...common {
            let hashes = try [0, 1, 2].map { try network.nodes[$0]!.store.block(at: height)?.header.hash(hash) }
            #expect(Set(hashes).count == 1, "fork at height \(height)")
        }
        try await network.stopAll()
    }

    /// A validator whose `data/` is lost (signing guard included) resyncs, finds its own precommits in the
    /// certificates it fetches, adopts them into its fresh guard and reports them (SPEC §9, "Signatures made
    /// elsewhere"), then takes part again.
    @Test func aValidatorThatLostItsDataFindsItsOwnSignaturesAndRejoins() async throws {
        let network = try TestNetwork(validators: 4)
        try await network.startAll()
        let batch = try network.anchors(30, from: "DEPT-0")
        _ = network.nodes[0]!.submit(batch)
        #expect(await network.commit(batch, on: [0, 1, 2, 3]))
        // Enough heights that some certificate holds its precommit (a certificate needs only three of four).
        #expect(await network.reach(3, 10))
        #expect(network.nodes[3]?.consensus.signaturesMadeElsewhere == 0)
        try await network.stop(3)
        try FileManager.default.removeItem(atPath: network.directory.path + "/" + network.names[3])
        let reached = network.height(0)
        try await network.start(3)
        #expect(await network.reach(3, reached))
        #expect((network.nodes[3]?.consensus.signaturesMadeElsewhere ?? 0) > 0)
        let more = try network.anchors(20, from: "DEPT-3")
        _ = network.nodes[3]!.submit(more)
        #expect(await network.commit(more, on: [0, 1, 2, 3]))
        try await network.stopAll()
    }

    /// A node that joins late catches up from height 0 by block sync and then follows.
    @Test func aLateNodeCatchesUpFromHeightZero() async throws {
        let network = try TestNetwork(validators: 4)
        for index in 0..<3 { try await network.start(index) }
        let batch = try network.anchors(100, from: "DEPT-1")
        _ = network.nodes[1]!.submit(batch)
        #expect(await network.commit(batch, on: [0, 1, 2]))
        #expect(await network.reach(0, 20))
        try await network.start(3)
        let target = network.height(0)
        #expect(await network.reach(3, target))
        #expect(network.allCommitted(network.ids(batch), on: [3]))
        try await network.stopAll()
    }
}
