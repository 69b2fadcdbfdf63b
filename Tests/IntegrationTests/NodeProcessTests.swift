import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real `civicd` processes on loopback: TLS between them, RocksDB on disk, killed with SIGKILL and restarted.
@Suite(.serialized) struct NodeProcessTests {
    func hashes(_ network: ProcessNetwork, _ transactions: [SignedTransaction]) -> [Digest] {
        transactions.map { $0.id(hash: network.genesis.suite.suite.hashFunction) }
    }

    func allCommitted(_ network: ProcessNetwork, _ ids: [Digest], on indices: [Int]) async -> Bool {
        for index in indices {
            for id in ids where !(await network.committed(index, id)) { return false }
        }
        return true
    }

    /// Four nodes commit 1,000 submitted transactions with identical blocks and state roots on all; one
    /// node is killed with SIGKILL under load, restarted on its files, catches up and rejoins.
    @Test func fourProcessesCommitAThousandTransactionsThroughAKill() async throws {
        let network = try await ProcessNetwork(validators: 4)
        try network.startAll()
        #expect(await network.reach(0, 1))
        let first = try network.anchors(500, from: "beijing", first: 0, label: "a")
        let second = try network.anchors(500, from: "shanghai", first: 0, label: "b")
        #expect(await network.submit(Array(first.prefix(250)), to: 0) == 250)
        await network.stop(3)  // SIGKILL under load
        #expect(await network.submit(Array(first.dropFirst(250)), to: 0) == 250)
        #expect(await network.submit(second, to: 1) == 500)
        try network.start(3)
        let ids = hashes(network, first + second)
        #expect(await network.commit(ids, on: [0, 1, 2, 3]))
        let (same, height) = await network.identical([0, 1, 2, 3])
        #expect(same, "blocks differ at or below height \(height)")
        #expect(height >= 2)
    }

    /// All four killed with SIGKILL at the same moment and restarted resume from where they were, with no
    /// operator action; a node started late catches up from height 0.
    @Test func allKilledTogetherResumeAndALateNodeCatchesUp() async throws {
        let network = try await ProcessNetwork(validators: 4)
        for index in 0..<3 { try network.start(index) }
        #expect(await network.reach(0, 5))
        let batch = try network.anchors(100, from: "guangdong", first: 0, label: "c")
        #expect(await network.submit(batch, to: 2) == 100)
        #expect(await network.commit(batch, on: [0, 1, 2]))
        for index in 0..<3 { await network.stop(index) }
        var before: UInt64 = 0
        try network.startAll()
        #expect(await eventually { await network.height(0) != nil })
        before = await network.height(0) ?? 0
        #expect(before >= 5)
        #expect(await network.reach(0, before + 5))
        let lateTarget = await network.height(0) ?? 0
        #expect(await network.reach(3, lateTarget))
        #expect(await allCommitted(network, hashes(network, batch), on: [3]))
        let (same, height) = await network.identical([0, 1, 2, 3])
        #expect(same, "blocks differ at or below height \(height)")
    }

    /// With one of four down the network keeps committing; with two down it halts without forking, and
    /// resumes when one returns.
    @Test func quorumLossHaltsWithoutForkingAndResumes() async throws {
        let network = try await ProcessNetwork(validators: 4)
        try network.startAll()
        #expect(await network.reach(0, 2))
        await network.stop(3, signal: SIGTERM)
        let one = try network.anchors(20, from: "beijing", first: 0, label: "d")
        #expect(await network.submit(one, to: 0) == 20)
        #expect(await network.commit(one, on: [0, 1, 2]))
        await network.stop(2, signal: SIGTERM)
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let halted = await network.height(0) ?? 0
        let two = try network.anchors(20, from: "beijing", first: 20, label: "e")
        #expect(await network.submit(two, to: 0) == 20)
        try await Task.sleep(nanoseconds: 3_000_000_000)
        #expect(await network.height(0) == halted, "committed without a quorum")
        #expect(await network.height(1) ?? 0 <= halted)
        try network.start(2)
        #expect(await network.commit(two, on: [0, 1, 2]))
        let (same, height) = await network.identical([0, 1, 2])
        #expect(same, "blocks differ at or below height \(height)")
    }
}
