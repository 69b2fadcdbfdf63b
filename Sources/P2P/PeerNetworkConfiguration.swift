import LedgerCrypto

/// How a node's peer-to-peer layer listens, whom it trusts, and its limits (`docs/network.md`).
public struct PeerNetworkConfiguration: Sendable {
    /// Host and port to listen on; port 0 picks a free one (tests).
    public var listenHost: String
    public var listenPort: Int
    /// This node's certificate and key; its pin must be the one registered for `localHello.nodeID`.
    public var identity: TLSIdentity
    /// Optional consortium CA layered on the pins: peers' certificates must also chain to it.
    public var consortiumCA: ConsortiumCA?
    /// The largest frame accepted; bigger announced lengths close the connection.
    public var maximumFrameSize = WireMessage.maximumFrameSize
    /// Outgoing bytes held per peer and priority class before new messages are dropped.
    public var sendQueueBytes = 16 << 20
    /// A ping is sent after this long without writing; a peer silent for `deadAfterMilliseconds` is closed.
    /// The timeout must exceed twice the interval (the peer's interval is assumed to be the same).
    public var pingIntervalMilliseconds: Int64 = 2_000
    public var deadAfterMilliseconds: Int64 = 10_000
    /// A connection must finish TLS and exchange hellos within this time.
    public var handshakeTimeoutMilliseconds: Int64 = 5_000
    /// Reconnection delays (`Backoff`).
    public var backoffBaseMilliseconds: Int64 = 200
    public var backoffMaximumMilliseconds: Int64 = 30_000
    /// Messages per second accepted from one peer, with a burst of `inboundBurst`: beyond it the node stops
    /// reading that peer's socket until the budget refills, so a flooding peer slows only itself.
    public var inboundMessagesPerSecond: Double = 50_000
    public var inboundBurst: Double = 10_000

    public init(listenHost: String = "127.0.0.1", listenPort: Int = 0, identity: TLSIdentity) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.identity = identity
    }
}
