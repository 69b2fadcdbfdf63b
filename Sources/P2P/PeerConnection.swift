import LedgerCore
import LedgerCrypto
import NIOConcurrencyHelpers
import NIOCore

/// Why the peer layer could not do what was asked.
public enum PeerNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    case closed(String)
    case configuration(String)

    public var description: String {
        switch self {
        case .closed(let reason): return "connection closed: \(reason)"
        case .configuration(let reason): return "peer network configuration: \(reason)"
        }
    }
}

/// Counters of one connection, readable from any thread.
public final class PeerConnectionStats: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var bytesSent: UInt64 = 0
        public var bytesReceived: UInt64 = 0
        public var framesSent: UInt64 = 0
        /// Outgoing messages dropped because the peer's queue was full.
        public var dropped: UInt64 = 0
        /// Times reading was paused because the peer exceeded its inbound rate.
        public var throttled: UInt64 = 0
        public var lastRoundTripNanoseconds: Int64?
    }

    private let box = NIOLockedValueBox(Snapshot())

    public var snapshot: Snapshot { box.withLockedValue { $0 } }

    func sent(bytes: Int) {
        box.withLockedValue {
            $0.bytesSent += UInt64(bytes)
            $0.framesSent += 1
        }
    }
    func received(bytes: Int) { box.withLockedValue { $0.bytesReceived += UInt64(bytes) } }
    func dropped() { box.withLockedValue { $0.dropped += 1 } }
    func throttled() { box.withLockedValue { $0.throttled += 1 } }
    func recordRoundTrip(nanoseconds: Int64) { box.withLockedValue { $0.lastRoundTripNanoseconds = nanoseconds } }
}

/// An established, authenticated connection to a member node: its hello, and a thread-safe way to send.
public final class PeerConnection: Sendable {
    public let node: OrgID
    /// The pin of the key the peer presented.
    public let keyPin: Digest
    /// What the peer said about itself when the connection opened (its height then).
    public let hello: PeerHello
    /// True when this node dialed the connection.
    public let outbound: Bool
    public let stats: PeerConnectionStats
    let channel: any Channel
    private let handler: NIOLoopBound<PeerChannelHandler>

    init(
        node: OrgID,
        keyPin: Digest,
        hello: PeerHello,
        outbound: Bool,
        channel: any Channel,
        handler: NIOLoopBound<PeerChannelHandler>,
        stats: PeerConnectionStats
    ) {
        self.node = node
        self.keyPin = keyPin
        self.hello = hello
        self.outbound = outbound
        self.channel = channel
        self.handler = handler
        self.stats = stats
    }

    /// Queues `message` for this peer (never blocks; a full queue drops it and counts the drop).
    public func send(_ message: WireMessage, priority: SendPriority? = nil) {
        send(frame: message.frame, priority: priority ?? message.priority)
    }

    /// Queues an already framed message (gossip frames a message once for every peer).
    public func send(frame: [UInt8], priority: SendPriority) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.send(frame, priority: priority) }
    }

    /// Measures one round trip with a ping.
    public func roundTrip() async throws -> Duration {
        let promise = channel.eventLoop.makePromise(of: Duration.self)
        let handler = self.handler
        channel.eventLoop.execute { handler.value.ping(promise: promise) }
        return try await promise.futureResult.get()
    }

    /// Closes the connection, logging `reason`.
    public func close(_ reason: String) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.close(reason) }
    }
}
