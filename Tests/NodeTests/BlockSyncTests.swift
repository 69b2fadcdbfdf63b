import Dispatch
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Node
import P2P
import Storage
import Testing

/// A node's peer layer wired to block sync only, over a ledger, on 127.0.0.1.
final class SyncPeer: PeerNetworkDelegate {
    let node: OrgID
    let identity: TLSIdentity
    let ledger: any SyncLedger
    let network: PeerNetwork
    let sync: BlockSync
    let port: NIOLockedValueBox<Int> = NIOLockedValueBox(0)

    init(_ node: String, ledger: any SyncLedger, fixture: LedgerFixture, group: any EventLoopGroup) throws {
        let id = OrgID(node)!
        self.node = id
        self.ledger = ledger
        let chain = fixture.genesis.chainID
        let genesisHash = fixture.genesis.hash
        identity = try TLSIdentity.generate(commonName: "node \(node)")
        network = try PeerNetwork(
            configuration: PeerNetworkConfiguration(identity: identity),
            registry: PeerRegistry(),
            group: group,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) {
            PeerHello(
                chainID: chain,
                genesisHash: genesisHash,
                nodeID: id,
                height: ledger.committedHeight()
            )
        }
        sync = BlockSync(
            ledger: ledger,
            network: network,
            configuration: BlockSync.Configuration(maximumBlockBytes: 16 << 20, hash: SHA256())
        )
        sync.start(on: group.next())
    }

    func start() async throws {
        let bound = try await network.start(delegate: self)
        port.withLockedValue { $0 = bound }
    }

    var entry: PeerIdentity {
        PeerIdentity(node: node, keyPin: identity.keyPin, address: "127.0.0.1:\(port.withLockedValue { $0 })")
    }

    func stop() async {
        sync.stop()
        await network.shutdown()
    }

    func peerConnected(_ peer: PeerConnection) { sync.peerConnected(peer) }
    func peerDisconnected(_ node: OrgID, reason: String) { sync.peerDisconnected(node) }
    func received(_ message: WireMessage, from peer: PeerConnection) { sync.handle(message, from: peer) }
}

/// Serves an honest chain except at one height, where it sends a forged block: one transaction dropped and
/// the header's roots recomputed, with the real certificate (which no longer matches).
final class ForgingLedger: SyncLedger {
    let honest: StoreSyncLedger
    let forgedHeight: UInt64
    let hash = SHA256()

    init(_ honest: StoreSyncLedger, forgedHeight: UInt64) {
        self.honest = honest
        self.forgedHeight = forgedHeight
    }

    func committedHeight() -> UInt64 { honest.committedHeight() }
    func commitSynced(_ block: Block, certificate: CommitCertificate) throws(SyncRefusal) {
        throw SyncRefusal("a forging peer does not sync")
    }

    func committedBlock(at height: UInt64) -> (block: Block, certificate: CommitCertificate)? {
        guard let (block, certificate) = honest.committedBlock(at: height) else { return nil }
        guard height == forgedHeight else { return (block, certificate) }
        let transactions = Array(block.transactions.dropLast())
        let header = block.header.changing(
            transactionsRoot: Block.transactionsRoot(transactions, hash: hash),
            transactionCount: UInt32(transactions.count)
        )
        // The forgery keeps the block's last commit: the header names it, and a body without it would not
        // even assemble (`Block.bodyMatchesHeader`) — the lie here is the transactions.
        let forged = Block(header: header, transactions: transactions, lastCommit: block.lastCommit)
        let forgedCertificate = CommitCertificate(
            height: height,
            round: certificate.round,
            blockHash: header.hash(hash),
            signatures: certificate.signatures
        )
        return (forged, forgedCertificate)
    }
}

/// Commits a synced block only when the test allows it: scheduling injected between block sync and readers of
/// the store. The sync queue blocks while it waits.
final class GatedSyncLedger: SyncLedger {
    let ledger: StoreSyncLedger
    private let gate = DispatchSemaphore(value: 0)
    private let blocked = NIOLockedValueBox(false)

    init(_ ledger: StoreSyncLedger) { self.ledger = ledger }

    /// Lets `count` more blocks commit.
    func allow(_ count: Int) { for _ in 0..<count { gate.signal() } }

    /// True while a block waits for the gate.
    var waiting: Bool { blocked.withLockedValue { $0 } }

    func committedHeight() -> UInt64 { ledger.committedHeight() }
    func committedBlock(at height: UInt64) -> (block: Block, certificate: CommitCertificate)? {
        ledger.committedBlock(at: height)
    }
    func commitSynced(_ block: Block, certificate: CommitCertificate) throws(SyncRefusal) {
        blocked.withLockedValue { $0 = true }
        gate.wait()
        blocked.withLockedValue { $0 = false }
        try ledger.commitSynced(block, certificate: certificate)
    }
}

/// Reads the committed height and the heights at and above it as fast as it can, until stopped, and lists what
/// a reader must never see: a block without its root or certificate, a root without its block, a store that
/// calls a height corrupt.
final class RacingReader: Sendable {
    let store: RocksDBLedgerStore
    private let stopped = NIOLockedValueBox(false)

    init(_ store: RocksDBLedgerStore) { self.store = store }

    func stop() { stopped.withLockedValue { $0 = true } }

    func run() -> (reads: Int, violations: [String]) {
        var reads = 0
        var violations: [String] = []
        // The first few say what went wrong; a broken store would otherwise fill memory with the same line.
        func violation(_ text: String) { if violations.count < 20 { violations.append(text) } }
        while !stopped.withLockedValue({ $0 }) {
            do {
                let committed = try store.committedHeight()
                for height in [committed, committed + 1] {
                    // Block first, then root: a block seen means its root must be there.
                    if try store.block(at: height) != nil {
                        do { _ = try store.stateRoot(at: height) } catch {
                            violation("block \(height) without its root: \(error)")
                        }
                        if try store.certificate(at: height) == nil {
                            violation("block \(height) without its certificate")
                        }
                    }
                    // Root first, then block: a root seen means its block must be there.
                    do {
                        _ = try store.stateRoot(at: height)
                        if height > 0, try store.block(at: height) == nil {
                            violation("root \(height) without its block")
                        }
                    } catch LedgerStoreError.notCommitted {
                        // Absent: sync has not reached it yet.
                    }
                    reads += 1
                }
            } catch {
                violation("\(error)")
            }
        }
        return (reads, violations)
    }
}

@Suite(.serialized) struct BlockSyncTests {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let fixture = LedgerFixture()

    func store(_ directory: TemporaryDirectory, blocks: Int) throws -> RocksDBLedgerStore {
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        if blocks > 0 { try CertifiedChain.commit(blocks, to: store, fixture: fixture) }
        return store
    }

    func connect(_ peers: [SyncPeer]) {
        let entries = peers.map(\.entry)
        for peer in peers { peer.network.registryChanged(entries) }
    }

    /// Peer A serving `blocks` blocks to a lagging node L whose commits a gate holds, returned once L has
    /// committed `held` and waits at the gate with the next.
    struct HeldSync {
        let directories: [TemporaryDirectory]
        let source: RocksDBLedgerStore
        let target: RocksDBLedgerStore
        let gated: GatedSyncLedger
        let server: SyncPeer
        let lagging: SyncPeer

        func stop() async { for peer in [server, lagging] { await peer.stop() } }
    }

    func heldSync(blocks: Int, heldAfter held: UInt64) async throws -> HeldSync {
        let directories = [TemporaryDirectory(), TemporaryDirectory()]
        let source = try store(directories[0], blocks: blocks)
        let target = try store(directories[1], blocks: 0)
        let server = try SyncPeer(
            "A",
            ledger: try StoreSyncLedger(store: source, executor: fixture.executor),
            fixture: fixture,
            group: group
        )
        let gated = GatedSyncLedger(try StoreSyncLedger(store: target, executor: fixture.executor))
        let lagging = try SyncPeer("L", ledger: gated, fixture: fixture, group: group)
        for peer in [server, lagging] { try await peer.start() }
        gated.allow(Int(held))
        connect([server, lagging])
        try #require(
            await eventually(progress: { gated.committedHeight() }) {
                gated.waiting && gated.committedHeight() == held
            }
        )
        return HeldSync(
            directories: directories,
            source: source,
            target: target,
            gated: gated,
            server: server,
            lagging: lagging
        )
    }

    /// A node 1,000 blocks behind two peers catches up by sync, with identical blocks and state roots. The wait
    /// lasts as long as sync makes progress: a loaded run once needed more than the two minutes this test gave
    /// it, then compared heights sync had not reached.
    @Test func aLaggingNodeCatchesUpAThousandBlocks() async throws {
        let sourceDirectory = TemporaryDirectory()
        let targetDirectory = TemporaryDirectory()
        let source = try store(sourceDirectory, blocks: 1_000)
        let target = try store(targetDirectory, blocks: 0)
        let sourceLedger = try StoreSyncLedger(store: source, executor: fixture.executor)
        let servers = try ["A", "B"].map { try SyncPeer($0, ledger: sourceLedger, fixture: fixture, group: group) }
        let lagging = try SyncPeer(
            "L",
            ledger: try StoreSyncLedger(store: target, executor: fixture.executor),
            fixture: fixture,
            group: group
        )
        for peer in servers + [lagging] { try await peer.start() }
        let started = Date()
        connect(servers + [lagging])
        try #require(await eventually(progress: { lagging.sync.progress }) { (try? target.committedHeight()) == 1_000 })
        let seconds = Date().timeIntervalSince(started)
        print("block sync: 1000 blocks in \(String(format: "%.1f", seconds)) s")
        #expect(lagging.sync.isCaughtUp)
        for height in stride(from: UInt64(1), through: 1_000, by: 37) {
            #expect(try target.block(at: height) == source.block(at: height))
            #expect(try target.stateRoot(at: height) == source.stateRoot(at: height))
        }
        #expect(try target.stateRoot(at: 1_000) == source.stateRoot(at: 1_000))
        // Both servers were used.
        #expect(servers.allSatisfy { $0.sync.progress.served > 0 })
        for peer in servers + [lagging] { await peer.stop() }
    }

    /// Reads racing block sync see each height whole or not at all (issue 23). Sync is held by a gate after 10
    /// blocks — the scheduling a loaded machine made by chance — and the next height reads as not committed
    /// (before: "ledger store corrupt: no state root recorded for height 11"). Then a reader thread races the
    /// remaining commits: a height whose block it sees has its root and certificate, a height whose root it sees
    /// has its block, and no read calls the store corrupt.
    @Test func aHeightSyncHasNotReachedIsNotCommittedNotCorrupt() async throws {
        let held = try await heldSync(blocks: 60, heldAfter: 10)
        let (source, target) = (held.source, held.target)
        #expect(try target.committedHeight() == 10)
        #expect(try target.block(at: 11) == nil)
        #expect(throws: LedgerStoreError.notCommitted(height: 11, committed: 10)) { try target.stateRoot(at: 11) }

        let reader = RacingReader(target)
        let reading = Task.detached { reader.run() }
        held.gated.allow(50)
        try #require(
            await eventually(progress: { try? target.committedHeight() }) { (try? target.committedHeight()) == 60 }
        )
        reader.stop()
        let (reads, violations) = await reading.value
        #expect(violations.count == 0, "\(violations.prefix(5))")
        #expect(reads > 0)
        #expect(try target.stateRoot(at: 60) == source.stateRoot(at: 60))
        await held.stop()
    }

    /// This node's own store failing under sync is not the serving peer's fault (issue 16): sync stops and says
    /// why, and no peer is dropped. Before, the store's error became a refusal of the block and the honest peer
    /// that served it was disconnected and banned. The store is closed under a commit held by the gate.
    @Test func aFailingStoreStopsSyncWithoutBlamingThePeer() async throws {
        let held = try await heldSync(blocks: 20, heldAfter: 5)
        let (gated, lagging) = (held.gated, held.lagging)
        held.target.close()
        gated.allow(1)
        try #require(
            await eventually {
                lagging.sync.progress.stoppedBy != nil || !lagging.sync.progress.peersDropped.isEmpty
            }
        )
        let progress = lagging.sync.progress
        #expect(progress.peersDropped.isEmpty)
        #expect(progress.refused == 0)
        #expect(progress.committed == 5)
        #expect(progress.stoppedBy?.contains("block 6") == true, "\(progress)")
        #expect(lagging.network.peer(held.server.node) != nil, "the honest peer was disconnected")
        #expect(gated.committedHeight() == 5)
        await held.stop()
    }

    /// A peer serving a forged block is detected, disconnected and not asked again; an honest peer
    /// supplies the block instead.
    @Test func aPeerServingAForgedBlockIsDropped() async throws {
        let sourceDirectory = TemporaryDirectory()
        let targetDirectory = TemporaryDirectory()
        let source = try store(sourceDirectory, blocks: 60)
        let target = try store(targetDirectory, blocks: 0)
        let honestLedger = try StoreSyncLedger(store: source, executor: fixture.executor)
        let honest = try SyncPeer("A", ledger: honestLedger, fixture: fixture, group: group)
        let forger = try SyncPeer(
            "F",
            ledger: ForgingLedger(honestLedger, forgedHeight: 5),
            fixture: fixture,
            group: group
        )
        let lagging = try SyncPeer(
            "L",
            ledger: try StoreSyncLedger(store: target, executor: fixture.executor),
            fixture: fixture,
            group: group
        )
        for peer in [honest, forger, lagging] { try await peer.start() }
        // First only the forger: blocks 1–4 are honest and commit; block 5 is refused and the forger dropped.
        connect([forger, lagging])
        try #require(
            await eventually(progress: { lagging.sync.progress }) {
                lagging.sync.progress.peersDropped.contains(forger.node)
            }
        )
        #expect(try target.committedHeight() == 4)
        #expect(lagging.sync.progress.refused == 1)
        // Then the honest peer supplies the rest; the forger, reconnected, is not asked again.
        connect([honest, forger, lagging])
        try #require(await eventually(progress: { lagging.sync.progress }) { (try? target.committedHeight()) == 60 })
        #expect(lagging.sync.progress.peersDropped == [forger.node])
        #expect(!lagging.sync.progress.peersDropped.contains(honest.node))
        #expect(try target.block(at: 5) == source.block(at: 5))
        #expect(try target.stateRoot(at: 60) == source.stateRoot(at: 60))
        for peer in [honest, forger, lagging] { await peer.stop() }
    }
}
