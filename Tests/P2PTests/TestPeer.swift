import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

@testable import P2P

/// Records what a peer network reports, for tests to wait on.
final class RecordingDelegate: PeerNetworkDelegate {
    struct Log {
        var connected: [OrgID] = []
        var disconnected: [(OrgID, String)] = []
        var messages: [(OrgID, WireMessage)] = []
    }

    let log = NIOLockedValueBox(Log())
    let onMessage: (@Sendable (WireMessage, PeerConnection) -> Void)?

    init(onMessage: (@Sendable (WireMessage, PeerConnection) -> Void)? = nil) {
        self.onMessage = onMessage
    }

    func peerConnected(_ peer: PeerConnection) { log.withLockedValue { $0.connected.append(peer.node) } }
    func peerDisconnected(_ node: OrgID, reason: String) {
        log.withLockedValue { $0.disconnected.append((node, reason)) }
    }
    func received(_ message: WireMessage, from peer: PeerConnection) {
        log.withLockedValue { $0.messages.append((peer.node, message)) }
        onMessage?(message, peer)
    }

    var messages: [(OrgID, WireMessage)] { log.withLockedValue { $0.messages } }
    var messageCount: Int { log.withLockedValue { $0.messages.count } }
}

/// A node's peer layer on 127.0.0.1 with a fresh TLS identity, for real-socket tests.
final class TestPeer: Sendable {
    /// A change to the settings a test peer starts with.
    typealias Adjustment = (inout PeerNetworkConfiguration) -> Void

    static let chain = ChainID("civic-net-test")!
    static let genesisHash = SHA256().hash(utf8: "network test genesis")

    let node: OrgID
    let identity: TLSIdentity
    let network: PeerNetwork
    let delegate: RecordingDelegate
    let port: Int
    let height: NIOLockedValueBox<UInt64>
    /// Every log line's message and reason, for asserting why a connection was refused.
    let logs = CapturingLogHandler()

    init(
        _ node: String,
        group: any EventLoopGroup,
        chain: ChainID = TestPeer.chain,
        genesisHash: Digest = TestPeer.genesisHash,
        identity: TLSIdentity? = nil,
        port: Int = 0,
        registry: PeerRegistry = PeerRegistry(),
        delegate: RecordingDelegate = RecordingDelegate(),
        adjust: Adjustment = { _ in }
    ) async throws {
        let id = OrgID(node)!
        let identity = try identity ?? TLSIdentity.generate(commonName: "node \(node)")
        var configuration = PeerNetworkConfiguration(listenPort: port, identity: identity)
        configuration.backoffBaseMilliseconds = 50
        configuration.backoffMaximumMilliseconds = 400
        adjust(&configuration)
        let height = NIOLockedValueBox<UInt64>(0)
        let logs = self.logs
        self.node = id
        self.identity = identity
        self.height = height
        self.delegate = delegate
        network = try PeerNetwork(
            configuration: configuration,
            registry: registry,
            group: group,
            logger: Logger(label: "test", factory: { _ in logs })
        ) {
            PeerHello(chainID: chain, genesisHash: genesisHash, nodeID: id, height: height.withLockedValue { $0 })
        }
        self.port = try await network.start(delegate: delegate)
    }

    var identityEntry: PeerIdentity {
        PeerIdentity(node: node, keyPin: identity.keyPin, address: "127.0.0.1:\(port)")
    }

    /// Registry entry without an address: this peer is accepted but never dialed.
    var acceptOnlyEntry: PeerIdentity { PeerIdentity(node: node, keyPin: identity.keyPin, address: nil) }

    func connected(to other: TestPeer) -> Bool { network.peer(other.node) != nil }

    /// A timeout no test reaches (an hour), for the node timeouts a test does not examine: on a loaded machine
    /// any shorter one once fired mid-test (a raw peer's handshake past 5 s, a stalled peer silent past 120 s).
    static let outOfReachMilliseconds: Int64 = 3_600_000

    /// Settings with a fast keepalive, for the tests of dead-peer detection.
    static func keepalive(pingMilliseconds: Int64, deadAfterMilliseconds: Int64) -> Adjustment {
        {
            $0.pingIntervalMilliseconds = pingMilliseconds
            $0.deadAfterMilliseconds = deadAfterMilliseconds
        }
    }

    /// How many times the delegate was told a peer disconnected; `partings(since:)` lists those after a count.
    var partingCount: Int { delegate.log.withLockedValue(\.disconnected.count) }
    func partings(since count: Int) -> [(OrgID, String)] {
        delegate.log.withLockedValue { Array($0.disconnected.dropFirst(count)) }
    }

    /// Connected both ways over the connection the tie-break keeps (dialed by the smaller id). Until then an
    /// end may still see its first connection closed by the other end's tie-break before the kept one's hello
    /// reaches it: a `peerDisconnected` that a test counting partings must not mistake for one.
    func settled(with other: TestPeer) -> Bool {
        let (low, high) = node.value < other.node.value ? (self, other) : (other, self)
        return low.network.peer(high.node)?.outbound == true && high.network.peer(low.node)?.outbound == false
    }
}

/// Keeps log lines as "message: reason" in memory.
struct CapturingLogHandler: LogHandler {
    let lines = NIOLockedValueBox<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let reason = event.metadata?["reason"].map { ": \($0)" } ?? ""
        lines.withLockedValue { $0.append("\(event.message)\(reason)") }
    }

    func contains(_ text: String) -> Bool { lines.withLockedValue { $0.contains { $0.contains(text) } } }
}
