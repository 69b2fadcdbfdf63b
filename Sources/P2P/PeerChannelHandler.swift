import LedgerCore
import LedgerCrypto
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// One connection's protocol, on its event loop (`docs/network.md`): frames in, the hello exchange, keepalive,
/// the inbound rate limit and the bounded send queue. Anything wrong with what the peer sends closes this
/// connection, with the reason logged, and touches nothing else.
final class PeerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    fileprivate enum Phase {
        case handshaking
        case established(PeerConnection)
        case closed
    }

    private let network: PeerNetwork
    private let configuration: PeerNetworkConfiguration
    /// Set when this node dialed: the node expected at that address.
    private let expected: OrgID?
    private var phase = Phase.handshaking
    /// The registered node whose pinned key the TLS handshake presented.
    private var verified: PeerIdentity?
    private var decoder: FrameDecoder
    private var queue: SendQueue
    private var context: ChannelHandlerContext?
    private var handshakeTimer: Scheduled<Void>?
    /// Counts the established peer's silence (`SilenceWatch`), ticked every ping interval.
    private var silence: SilenceWatch?
    private var silenceTimer: Scheduled<Void>?
    private var closeReason: String?
    private var closing = false
    private var tokens: Double
    private var lastRefill = NIODeadline.now()
    private var readingPaused = false
    private var pings: [UInt64: (sent: NIODeadline, promise: EventLoopPromise<Duration>?)] = [:]
    private var nextNonce: UInt64 = 0
    let stats: PeerConnectionStats

    init(network: PeerNetwork, configuration: PeerNetworkConfiguration, expected: OrgID?, stats: PeerConnectionStats) {
        self.network = network
        self.configuration = configuration
        self.expected = expected
        self.stats = stats
        decoder = FrameDecoder(maximumFrameSize: configuration.maximumFrameSize)
        queue = SendQueue(limitBytes: configuration.sendQueueBytes)
        tokens = configuration.inboundBurst
    }

    var isOutbound: Bool { expected != nil }

    /// The TLS verification decision: the presented key must be a current member node's — and, when this node
    /// dialed, the one it meant to reach; with a consortium CA configured, the chain must also lead to it.
    func accept(_ certificates: [NIOSSLCertificate]) -> Bool {
        guard let leaf = certificates.first, let pin = PinnedTLS.pin(of: leaf) else {
            closeReason = "the peer presented no usable certificate"
            return false
        }
        guard let peer = network.registry.node(forPin: pin) else {
            closeReason = "TLS key \(pin.hex.prefix(16))… is not a member node's"
            return false
        }
        if network.isCut(peer.node) {
            closeReason = "link cut by the test fault switch"
            return false
        }
        if let expected, peer.node != expected {
            closeReason = "dialed \(expected) but the key presented is \(peer.node)'s"
            return false
        }
        if let authority = configuration.consortiumCA, !PinnedTLS.issued(certificates, by: authority) {
            closeReason = "\(peer.node)'s certificate was not issued by the consortium CA"
            return false
        }
        verified = peer
        return true
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(
            in: .milliseconds(configuration.handshakeTimeoutMilliseconds)
        ) { [weak self] in
            guard let self, case .handshaking = self.phase else { return }
            self.close("no hello within \(self.configuration.handshakeTimeoutMilliseconds) ms")
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            // TLS 1.3: the server may still refuse this client's certificate; that surfaces on the first read.
            let hello = WireMessage.hello(network.localHello())
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: hello.frame)), promise: nil)
        } else if let event = event as? IdleStateHandler.IdleStateEvent {
            switch event {
            case .write: if case .established = phase { ping(promise: nil) }
            case .read, .all: break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        read(unwrapInboundIn(data))
    }

    private func read(_ buffer: ByteBuffer) {
        if closing { return }
        silence?.heard(now: Self.now())
        stats.received(bytes: buffer.readableBytes)
        let frames: [[UInt8]]
        do { frames = try decoder.receive(buffer.readableBytesView) } catch {
            return close("bad frame: \(error)")
        }
        for frame in frames {
            let message: WireMessage
            do { message = try WireMessage(frame: frame) } catch { return close("bad message: \(error)") }
            handle(message)
            if closing { return }
        }
        if !frames.isEmpty { limitRate(consumed: frames.count) }
    }

    private func handle(_ message: WireMessage) {
        switch phase {
        case .closed: return
        case .handshaking:
            guard case .hello(let hello) = message else { return close(HandshakeError.noHello.description) }
            guard let verified else { return close("hello before the TLS handshake finished") }
            do { try hello.check(against: network.localHello(), expectedNode: verified.node) } catch {
                return close(error.description)
            }
            guard let context else { return }
            handshakeTimer?.cancel()
            let connection = PeerConnection(
                node: verified.node,
                keyPin: verified.keyPin,
                hello: hello,
                outbound: isOutbound,
                channel: context.channel,
                handler: NIOLoopBound(self, eventLoop: context.eventLoop),
                stats: stats
            )
            phase = .established(connection)
            if let refusal = network.register(connection) { return close(refusal) }
            silence = SilenceWatch(
                intervalMilliseconds: configuration.pingIntervalMilliseconds,
                limitMilliseconds: configuration.deadAfterMilliseconds,
                now: Self.now()
            )
            scheduleSilenceTick()
        case .established(let connection):
            switch message {
            case .hello: close("a second hello")
            case .ping(let nonce): send(WireMessage.pong(nonce: nonce).frame, priority: .consensus)
            case .pong(let nonce):
                guard let ping = pings.removeValue(forKey: nonce) else { return }
                let elapsed = NIODeadline.now() - ping.sent
                stats.recordRoundTrip(nanoseconds: elapsed.nanoseconds)
                ping.promise?.succeed(.nanoseconds(elapsed.nanoseconds))
            default: network.deliver(message, from: connection)
            }
        }
    }

    /// Token bucket over received messages: past the budget, stop reading this socket until it refills.
    private func limitRate(consumed: Int) {
        guard let context else { return }
        let now = NIODeadline.now()
        let seconds = Double((now - lastRefill).nanoseconds) / 1e9
        lastRefill = now
        tokens = min(configuration.inboundBurst, tokens + seconds * configuration.inboundMessagesPerSecond)
        tokens -= Double(consumed)
        guard tokens < 0, !readingPaused else { return }
        readingPaused = true
        stats.throttled()
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let wait = Int64(-tokens / configuration.inboundMessagesPerSecond * 1e9) + 1_000_000
        context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(wait)) { [weak self] in
            guard let self, let context = self.context else { return }
            self.readingPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            context.read()
        }
    }

    /// Closes the connection once the peer has been silent past `deadAfterMilliseconds` of this node's own
    /// waking time. A peer whose reading this node paused (`limitRate`) is not silent: its data is waiting.
    private func scheduleSilenceTick() {
        guard let context else { return }
        silenceTimer = context.eventLoop.assumeIsolated().scheduleTask(
            in: .milliseconds(configuration.pingIntervalMilliseconds)
        ) { [weak self] in
            guard let self, !self.closing, var watch = self.silence else { return }
            let now = Self.now()
            if self.readingPaused { watch.heard(now: now) }
            let silent = watch.tick(now: now)
            self.silence = watch
            if silent { return self.close("silent for \(self.configuration.deadAfterMilliseconds) ms") }
            self.scheduleSilenceTick()
        }
    }

    private static func now() -> Int64 { Int64(clamping: NIODeadline.now().uptimeNanoseconds) }

    // MARK: - Sending (on the event loop)

    /// Queues a frame and writes what the socket takes; a full class drops the frame (`SendQueue`).
    func send(_ frame: [UInt8], priority: SendPriority) {
        guard case .established = phase, !closing else { return }
        if !queue.enqueue(frame, priority: priority) { stats.dropped() }
        drain()
    }

    /// Writes queued frames while the channel is writable, flushing every 64 KiB so writability reflects
    /// the socket and not TLS's plaintext buffer.
    private func drain() {
        guard let context else { return }
        var unflushed = 0
        while context.channel.isWritable, let frame = queue.dequeue() {
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: frame)), promise: nil)
            stats.sent(bytes: frame.count)
            unflushed += frame.count
            if unflushed >= 64 << 10 {
                context.flush()
                unflushed = 0
            }
        }
        if unflushed > 0 { context.flush() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        drain()
        context.fireChannelWritabilityChanged()
    }

    func ping(promise: EventLoopPromise<Duration>?) {
        nextNonce &+= 1
        pings[nextNonce] = (NIODeadline.now(), promise)
        // Unanswered pings are forgotten after a while so a silent peer cannot grow the table.
        if pings.count > 64, let oldest = pings.min(by: { $0.value.sent < $1.value.sent }) {
            pings.removeValue(forKey: oldest.key)
            oldest.value.promise?.fail(PeerNetworkError.closed("ping unanswered"))
        }
        send(WireMessage.ping(nonce: nextNonce).frame, priority: .consensus)
    }

    // MARK: - Closing

    /// Closes with `reason` logged; reads stop at once, the connection leaves the peer set when the channel
    /// goes inactive.
    func close(_ reason: String) {
        guard !closing else { return }
        closing = true
        if closeReason == nil { closeReason = reason }
        context?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(closeReason ?? Self.explain(error))
    }

    /// A short reason for the log: TLS alerts name what the peer objected to.
    static func explain(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_UNKNOWN") || text.contains("CERTIFICATE_REQUIRED") {
            return "the peer refused this node's TLS certificate (its key is not a member node's there)"
        }
        if error is NIOSSLError || text.contains("sslError") { return "TLS failed: \(text.prefix(200))" }
        return "connection error: \(text.prefix(200))"
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshakeTimer?.cancel()
        silenceTimer?.cancel()
        let reason = closeReason ?? "closed by the peer"
        for ping in pings.values { ping.promise?.fail(PeerNetworkError.closed(reason)) }
        pings.removeAll()
        let previous = phase
        phase = .closed
        closing = true
        network.closed(connection: previous.connection, verified: verified?.node, outbound: isOutbound, reason: reason)
        self.context = nil
        context.fireChannelInactive()
    }
}

extension PeerChannelHandler.Phase {
    fileprivate var connection: PeerConnection? {
        if case .established(let connection) = self { return connection }
        return nil
    }
}
