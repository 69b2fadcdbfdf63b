import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Network
import Node
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
        let ids = (first + second).map { $0.id(hash: hash) }
        let committed = await waitUntil(60) {
            network.nodes.allSatisfy { node in ids.allSatisfy { (try? node!.store.transactionLocation($0)) != nil } }
        }
        #expect(committed, "heights \(network.nodes.indices.map(network.height))")
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
