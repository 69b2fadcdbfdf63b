import Hummingbird
import HummingbirdCore
import NIOCore
import Node

/// How the API's HTTP server bounds what clients can hold (`docs/api.md`, "Limits"; issue 16, point 5): a
/// slow or unfinished request must not keep a connection, a file descriptor or memory for long, and one
/// client must not take what others need.
public struct HTTPLimits: Sendable, Equatable {
    /// A connection that sends no complete request head, no body bytes and no new request for this long is
    /// closed: the header timeout (a head is one part: trickling it byte by byte does not reset the clock),
    /// the gap allowed inside a body, and the keep-alive idle time.
    public var idleTimeout: TimeAmount = .seconds(30)
    /// The most time a whole request body may take to arrive, however steadily it trickles.
    public var bodyTimeout: TimeAmount = .seconds(60)
    /// Open connections at once; beyond, new ones wait in the listen backlog.
    public var maximumConnections = 1_024
    /// Open connections from one client (`ClientAddress.key`) at once (a trusted proxy is exempt: it speaks
    /// for many); beyond, a new connection is closed at once.
    public var maximumConnectionsPerClient = 32
    /// Request body bytes the node holds at once, across all requests; one client may hold a quarter of it.
    /// Beyond, a request is answered 503 `busy` and its body is read no further.
    public var bodyMemoryBytes = 128 << 20
    /// How long a connection stays open after an answer given before its request arrived whole, so that the
    /// client can read it (`EarlyAnswerHandler`).
    public var earlyAnswerLinger: TimeAmount = .seconds(2)

    public init() {}

    /// The limits a node's configuration sets (`api.idle_timeout_s` and the rest: `docs/node.md`).
    public init(_ configuration: NodeConfiguration) {
        idleTimeout = .seconds(configuration.apiIdleTimeoutSeconds)
        bodyTimeout = .seconds(configuration.apiBodyTimeoutSeconds)
        maximumConnections = Int(configuration.apiMaximumConnections)
        maximumConnectionsPerClient = Int(configuration.apiMaximumConnectionsPerClient)
        bodyMemoryBytes = Int(configuration.apiBodyMemoryBytes)
    }

    /// The server builder with these limits: the idle timeout, each connection counted against
    /// `connections`, and connections closed after early answers.
    func server(connections: ConnectionCounter) -> HTTPServerBuilder {
        .http1(
            configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [
                    ConnectionCapHandler(counter: connections), EarlyAnswerHandler(linger: earlyAnswerLinger),
                ],
                idleTimeout: idleTimeout
            )
        )
    }
}
