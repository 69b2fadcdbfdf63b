// Loopback figures for docs/benchmarks.md (`Tools/bench-network-p2p.sh`): messages/s and MB/s over one
// mutual-TLS connection, round-trip latency, and block-sync speed. Prints figures; asserts nothing.
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

final class Counter: PeerNetworkDelegate {
    let count = NIOLockedValueBox<Int>(0)
    let sync: NIOLockedValueBox<BlockSync?> = NIOLockedValueBox(nil)
    func peerConnected(_ peer: PeerConnection) { sync.withLockedValue { $0 }?.peerConnected(peer) }
    func peerDisconnected(_ node: OrgID, reason: String) { sync.withLockedValue { $0 }?.peerDisconnected(node) }
    func received(_ message: WireMessage, from peer: PeerConnection) {
        if let sync = sync.withLockedValue({ $0 }), sync.handle(message, from: peer) { return }
        count.withLockedValue { $0 += 1 }
    }
}

final class Node {
    let id: OrgID
    let identity: TLSIdentity
    let network: PeerNetwork
    let counter: Counter
    var port = 0
    var entry: PeerIdentity { PeerIdentity(node: id, keyPin: identity.keyPin, address: "127.0.0.1:\(port)") }

    init(
        _ name: String,
        group: any EventLoopGroup,
        chain: ChainID,
        genesis: Digest,
        height: @escaping @Sendable () -> UInt64
    ) throws {
        let id = OrgID(name)!
        self.id = id
        identity = try TLSIdentity.generate(commonName: name)
        counter = Counter()
        var configuration = PeerNetworkConfiguration(identity: identity)
        configuration.inboundMessagesPerSecond = 10_000_000
        configuration.inboundBurst = 1_000_000
        network = try PeerNetwork(
            configuration: configuration,
            registry: PeerRegistry(),
            group: group,
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { PeerHello(chainID: chain, genesisHash: genesis, nodeID: id, height: height()) }
    }

    func start() async throws { port = try await network.start(delegate: counter) }
}

func wait(_ condition: () -> Bool) async {
    while !condition() { try? await Task.sleep(nanoseconds: 1_000_000) }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let fixture = LedgerFixture()
let chain = fixture.genesis.chainID
let genesis = fixture.genesis.hash

// 1. One connection: stream messages of 1 KiB and of 100 bytes, keeping at most 2,000 in flight.
let a = try Node("A", group: group, chain: chain, genesis: genesis) { 0 }
let b = try Node("B", group: group, chain: chain, genesis: genesis) { 0 }
try await a.start()
try await b.start()
a.network.registryChanged([a.entry, b.entry])
b.network.registryChanged([a.entry, b.entry])
await wait { a.network.peer(b.id) != nil && b.network.peer(a.id) != nil }
let link = a.network.peer(b.id)!
for size in [100, 1_024] {
    let message = WireMessage.blockPart(
        BlockPart(height: 1, round: 0, blockHash: .zero, index: 0, count: 1, bytes: Array(repeating: 7, count: size))
    )
    let frame = message.frame
    let total = 400_000
    let before = b.counter.count.withLockedValue { $0 }
    let start = ContinuousClock.now
    var sent = 0
    while sent < total {
        for _ in 0..<500 { link.send(frame: frame, priority: .bulk) }
        sent += 500
        await wait { sent - (b.counter.count.withLockedValue { $0 } - before) <= 2_000 }
    }
    await wait { b.counter.count.withLockedValue { $0 } - before >= total }
    let seconds =
        Double((ContinuousClock.now - start).components.attoseconds) / 1e18
        + Double((ContinuousClock.now - start).components.seconds)
    let perSecond = Double(total) / seconds
    print(
        "one mTLS connection, \(frame.count)-byte frames: \(Int(perSecond)) messages/s, "
            + "\(String(format: "%.1f", perSecond * Double(frame.count) / 1e6)) MB/s"
    )
}
print("dropped by the sender's queue: \(link.stats.snapshot.dropped)")

// 2. Round trips: 10,000 pings one after another.
var samples: [Double] = []
let rttStart = ContinuousClock.now
for _ in 0..<10_000 {
    let rtt = try await link.roundTrip()
    samples.append(Double(rtt.components.attoseconds) / 1e12 + Double(rtt.components.seconds) * 1e6)
}
let rttSeconds =
    Double((ContinuousClock.now - rttStart).components.attoseconds) / 1e18
    + Double((ContinuousClock.now - rttStart).components.seconds)
samples.sort()
print(
    "round trip: p50 \(Int(samples[5_000])) µs, p99 \(Int(samples[9_900])) µs, "
        + "\(Int(10_000 / rttSeconds)) sequential round trips/s"
)
await a.network.shutdown()
await b.network.shutdown()

// 3. Block sync: a node 2,000 blocks (20 transactions each) behind two peers.
let blocks = Int(ProcessInfo.processInfo.environment["CIVIC_BENCH_SYNC_BLOCKS"] ?? "") ?? 2_000
let sourceDirectory = TemporaryDirectory()
let targetDirectory = TemporaryDirectory()
let source = try RocksDBLedgerStore(path: sourceDirectory.path, suite: .secp256k1SHA256)
try source.initialize(genesis: fixture.genesis)
try CertifiedChain.commit(blocks, to: source, fixture: fixture)
let target = try RocksDBLedgerStore(path: targetDirectory.path, suite: .secp256k1SHA256)
try target.initialize(genesis: fixture.genesis)
let sourceLedger = try StoreSyncLedger(store: source, executor: fixture.executor)
let targetLedger = try StoreSyncLedger(store: target, executor: fixture.executor)
let nodes = [
    try Node("S1", group: group, chain: chain, genesis: genesis) { sourceLedger.committedHeight() },
    try Node("S2", group: group, chain: chain, genesis: genesis) { sourceLedger.committedHeight() },
    try Node("L", group: group, chain: chain, genesis: genesis) { targetLedger.committedHeight() },
]
for index in nodes.indices {
    let ledger: any SyncLedger = index < 2 ? sourceLedger : targetLedger
    let sync = BlockSync(
        ledger: ledger,
        network: nodes[index].network,
        configuration: BlockSync.Configuration(maximumBlockBytes: 16 << 20, hash: SHA256())
    )
    sync.start(on: group.next())
    nodes[index].counter.sync.withLockedValue { $0 = sync }
    try await nodes[index].start()
}
let syncStart = ContinuousClock.now
for node in nodes { node.network.registryChanged(nodes.map(\.entry)) }
await wait { targetLedger.committedHeight() == UInt64(blocks) }
let syncSeconds =
    Double((ContinuousClock.now - syncStart).components.attoseconds) / 1e18
    + Double((ContinuousClock.now - syncStart).components.seconds)
let transactions = blocks * CrashWorkload.transactionsPerBlock
print(
    "block sync: \(blocks) blocks (\(transactions) transactions) in \(String(format: "%.2f", syncSeconds)) s: "
        + "\(Int(Double(blocks) / syncSeconds)) blocks/s, \(Int(Double(transactions) / syncSeconds)) tx/s "
        + "(state root at \(blocks) identical: \(try target.stateRoot(at: UInt64(blocks)) == source.stateRoot(at: UInt64(blocks))))"
)
for node in nodes { await node.network.shutdown() }
try await group.shutdownGracefully()
