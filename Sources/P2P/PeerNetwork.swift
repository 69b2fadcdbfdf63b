import LedgerCore
import LedgerCrypto
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// What the peer layer tells the node. Called on event-loop threads: keep it short, hop off for real work.
public protocol PeerNetworkDelegate: AnyObject, Sendable {
    func peerConnected(_ peer: PeerConnection)
    func peerDisconnected(_ node: OrgID, reason: String)
    func received(_ message: WireMessage, from peer: PeerConnection)
}

/// The peer set (`docs/network.md`, "Peers"): listens for members, dials the registered addresses, keeps one
/// connection per pair of nodes, reconnects with backoff and jitter, and drops nodes that leave the registry.
public final class PeerNetwork: Sendable {
    private struct State {
        var delegate: (any PeerNetworkDelegate)?
        var server: (any Channel)?
        var connections: [OrgID: PeerConnection] = [:]
        var dialing: Set<OrgID> = []
        var backoff: [OrgID: Backoff] = [:]
        var running = false
        var stopped = false
        /// Peers whose links the test fault switch cuts (`cutLinks(to:)`).
        var cut: Set<OrgID> = []
    }

    public let registry: PeerRegistry
    public let configuration: PeerNetworkConfiguration
    let localHello: @Sendable () -> PeerHello
    let group: any EventLoopGroup
    /// The TLS contexts every new connection uses; replaced when governance rotates this node's key.
    private let contexts: NIOLockedValueBox<PinnedTLS>
    private let state = NIOLockedValueBox(State())
    private let logger: Logger

    /// `localHello` is read for every new connection (its height is the node's current one).
    public init(
        configuration: PeerNetworkConfiguration,
        registry: PeerRegistry,
        group: any EventLoopGroup,
        logger: Logger = Logger(label: "civic.p2p"),
        localHello: @escaping @Sendable () -> PeerHello
    ) throws {
        // Peers ping after `pingInterval` idle; a dead-peer timeout at or below it would close healthy links.
        guard configuration.deadAfterMilliseconds > 2 * configuration.pingIntervalMilliseconds else {
            throw PeerNetworkError.configuration("the dead-peer timeout must exceed twice the ping interval")
        }
        self.configuration = configuration
        self.registry = registry
        self.group = group
        self.logger = logger
        self.localHello = localHello
        me = localHello().nodeID
        contexts = NIOLockedValueBox(try PinnedTLS(identity: configuration.identity))
    }

    /// The key pin this node presents now.
    public var keyPin: Digest { contexts.withLockedValue { $0.keyPin } }

    /// Presents `identity` from now on (a TLS key rotated by governance, `docs/network.md` "Trust"): new
    /// connections use it; connections made with the old key stay until their peers, whose registry no longer
    /// holds the old pin, close them — both sides then redial with the new one.
    public func replaceIdentity(_ identity: TLSIdentity) throws {
        let tls = try PinnedTLS(identity: identity)
        contexts.withLockedValue { $0 = tls }
        logger.notice("presenting a new TLS key", metadata: ["pin": "\(identity.keyPin.hex)"])
    }

    /// This node's id (from its hello).
    private let me: OrgID

    /// Starts listening and dialing every registered peer; returns the bound port.
    public func start(delegate: any PeerNetworkDelegate) async throws -> Int {
        state.withLockedValue {
            $0.delegate = delegate
            $0.running = true
        }
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in self.configure(channel, expected: nil) }
            .bind(host: configuration.listenHost, port: configuration.listenPort)
            .get()
        state.withLockedValue { $0.server = server }
        for peer in registry.all where peer.node != me { maintain(peer.node) }
        return server.localAddress?.port ?? configuration.listenPort
    }

    /// Closes the listener and every connection, and stops redialing.
    public func shutdown() async {
        let (server, connections) = state.withLockedValue { state in
            state.stopped = true
            state.running = false
            return (state.server, Array(state.connections.values))
        }
        for connection in connections { connection.close("node shutting down") }
        // try?: closing what is already closed is the only failure here; shutdown goes on.
        try? await server?.close()
        for connection in connections { try? await connection.channel.closeFuture.get() }
    }

    /// The established connections, one per peer node.
    public var peers: [PeerConnection] {
        state.withLockedValue { Array($0.connections.values) }.sorted { $0.node < $1.node }
    }

    public func peer(_ node: OrgID) -> PeerConnection? { state.withLockedValue { $0.connections[node] } }

    /// The test fault switch (`Tools/chaos.sh` on machines without network namespaces, docs/reliability.md):
    /// treats the links to `nodes` as cut — closes them, dials none, and refuses their handshakes, so the
    /// other end never sees a hello either — until a later call heals them (and dials them again).
    public func cutLinks(to nodes: Set<OrgID>) {
        let (closing, healed) = state.withLockedValue { state -> ([PeerConnection], Set<OrgID>) in
            let healed = state.cut.subtracting(nodes)
            state.cut = nodes
            return (nodes.compactMap { state.connections[$0] }, healed)
        }
        for connection in closing { connection.close("link cut by the test fault switch") }
        for node in healed { maintain(node) }
    }

    /// Whether the test fault switch has cut the link to `node`.
    func isCut(_ node: OrgID) -> Bool { state.withLockedValue { $0.cut.contains(node) } }

    /// Sends `message` to every connected peer except `excluded`, framing it once.
    public func broadcast(_ message: WireMessage, except excluded: OrgID? = nil, priority: SendPriority? = nil) {
        let frame = message.frame
        for peer in peers where peer.node != excluded {
            peer.send(frame: frame, priority: priority ?? message.priority)
        }
    }

    /// Applies a registry change (governance): closes connections of nodes that left or changed key, and
    /// dials nodes that joined.
    public func registryChanged(_ peers: [PeerIdentity]) {
        let gone = registry.replace(with: peers)
        for node in gone { peer(node)?.close("removed from the member registry") }
        for peer in peers where peer.node != me { maintain(peer.node) }
    }

    // MARK: - Connections

    private func configure(_ channel: any Channel, expected: OrgID?) -> EventLoopFuture<Void> {
        let tls = contexts.withLockedValue { $0 }
        let configuration = self.configuration
        return channel.eventLoop.makeCompletedFuture {
            let handler = PeerChannelHandler(
                network: self,
                configuration: configuration,
                expected: expected,
                stats: PeerConnectionStats()
            )
            let verify = PinnedTLS.callback { handler.accept($0) }
            let tlsHandler: any ChannelHandler =
                expected == nil
                ? NIOSSLServerHandler(context: tls.serverContext, customVerificationCallback: verify)
                : try NIOSSLClientHandler(
                    context: tls.clientContext,
                    serverHostname: nil,
                    customVerificationCallback: verify
                )
            try channel.pipeline.syncOperations.addHandler(tlsHandler)
            try channel.pipeline.syncOperations.addHandler(
                IdleStateHandler(writeTimeout: .milliseconds(configuration.pingIntervalMilliseconds))
            )
            try channel.pipeline.syncOperations.addHandler(handler)
        }
    }

    /// A connection finished its hello. Returns why it must close instead, or nil when it is kept.
    /// One connection per pair (`docs/network.md`, "Peers"): of two, keep the one dialed by the node with the
    /// smaller id; of two dialed by the same node, the newer (the older is a leftover of a broken link). Both
    /// ends apply the same rule to the same two connections, so they keep the same one.
    func register(_ connection: PeerConnection) -> String? {
        let local = me
        let outcome: Result<(replaced: PeerConnection?, delegate: (any PeerNetworkDelegate)?), RegistrationRefusal> =
            state.withLockedValue { state in
                guard state.running else { return .failure(.init(reason: "the node is shutting down")) }
                guard !state.cut.contains(connection.node) else {
                    return .failure(.init(reason: "link cut by the test fault switch"))
                }
                // The registry may have changed since this connection's TLS handshake: `registryChanged`
                // replaces the registry before it closes connections, so a check here leaves no gap.
                guard registry.identity(of: connection.node)?.keyPin == connection.keyPin else {
                    return .failure(.init(reason: "\(connection.node) left the member registry during the handshake"))
                }
                guard let existing = state.connections[connection.node] else {
                    state.connections[connection.node] = connection
                    state.backoff[connection.node]?.reset()
                    return .success((nil, state.delegate))
                }
                let dialer = { (c: PeerConnection) in c.outbound ? local : c.node }
                guard dialer(existing) == dialer(connection) || dialer(connection) < dialer(existing) else {
                    return .failure(.init(reason: "a connection to \(connection.node) dialed by the lower id exists"))
                }
                state.connections[connection.node] = connection
                return .success((existing, state.delegate))
            }
        let kept: (replaced: PeerConnection?, delegate: (any PeerNetworkDelegate)?)
        switch outcome {
        case .failure(let refusal): return refusal.reason
        case .success(let value): kept = value
        }
        kept.replaced?.close("replaced by the connection the tie-break keeps")
        logger.info(
            "peer connected",
            metadata: [
                "peer": "\(connection.node)", "direction": "\(connection.outbound ? "out" : "in")",
                "height": "\(connection.hello.height)",
            ]
        )
        kept.delegate?.peerConnected(connection)
        return nil
    }

    /// A message from an established peer.
    func deliver(_ message: WireMessage, from connection: PeerConnection) {
        state.withLockedValue { $0.delegate }?.received(message, from: connection)
    }

    /// A channel closed: forget its connection and, for a dialed peer, redial after a backoff.
    func closed(connection: PeerConnection?, verified: OrgID?, outbound: Bool, reason: String) {
        let node = connection?.node ?? verified
        let delegate: (any PeerNetworkDelegate)? = state.withLockedValue { state in
            guard let connection, state.connections[connection.node] === connection else { return nil }
            state.connections[connection.node] = nil
            return state.delegate
        }
        if let connection {
            logger.info("peer disconnected", metadata: ["peer": "\(connection.node)", "reason": "\(reason)"])
        } else {
            logger.notice(
                "connection refused",
                metadata: ["peer": "\(node.map(\.value) ?? "unknown")", "reason": "\(reason)"]
            )
        }
        if let node, delegate != nil { delegate?.peerDisconnected(node, reason: reason) }
        if let node { maintain(node) }
    }

    // MARK: - Dialing

    /// Makes sure a connection to `node` exists or is being made: dials now, or after the node's backoff
    /// delay when the last attempt failed.
    private func maintain(_ node: OrgID) {
        guard let peer = registry.identity(of: node), let address = peer.address, node != me else { return }
        let delay: Int64? = state.withLockedValue { state in
            guard state.running, !state.stopped, state.connections[node] == nil, !state.dialing.contains(node),
                !state.cut.contains(node)
            else { return nil }
            state.dialing.insert(node)
            var generator = SystemRandomNumberGenerator()
            var backoff =
                state.backoff[node]
                ?? Backoff(
                    baseMilliseconds: configuration.backoffBaseMilliseconds,
                    maximumMilliseconds: configuration.backoffMaximumMilliseconds
                )
            let wait = backoff.delayBeforeAttempt(using: &generator)
            state.backoff[node] = backoff
            return wait
        }
        guard let delay else { return }
        group.next().scheduleTask(in: .milliseconds(delay)) { self.dial(node, address: address) }
    }

    private func dial(_ node: OrgID, address: String) {
        guard let (host, port) = Self.split(address) else {
            logger.error("bad peer address", metadata: ["peer": "\(node)", "address": "\(address)"])
            _ = state.withLockedValue { $0.dialing.remove(node) }
            return
        }
        ClientBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.milliseconds(configuration.handshakeTimeoutMilliseconds))
            .channelInitializer { channel in self.configure(channel, expected: node) }
            .connect(host: host, port: port)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    self.logger.debug("dial failed", metadata: ["peer": "\(node)", "error": "\(error)"])
                    self.dialFinished(node)
                case .success(let channel):
                    channel.closeFuture.whenComplete { _ in self.dialFinished(node) }
                }
            }
    }

    private func dialFinished(_ node: OrgID) {
        _ = state.withLockedValue { $0.dialing.remove(node) }
        maintain(node)
    }

    /// `host:port`, with `[v6]:port` for IPv6.
    static func split(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65_535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}

private struct RegistrationRefusal: Error {
    let reason: String
}
