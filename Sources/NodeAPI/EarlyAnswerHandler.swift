import NIOCore
import NIOHTTPTypes

/// Ends a connection whose answer went out before its request had arrived whole: a 413, 429, 503 or 408
/// given without reading the rest of the body, or any answer to a request whose body the route never reads.
/// Hummingbird would otherwise read and discard the rest of that body for as long as the client cares to
/// trickle it (`docs/api.md`, "Limits"; the idle timeout restarts with every byte, the body timeout only
/// runs while a route reads). The answer says `Connection: close`; from then on nothing more the client
/// sends is passed on — no further request on the connection is served (RFC 9112 §9.6) — and the connection
/// closes `linger` after the answer is written: time for the client to read it, where closing at once with
/// its bytes still unread in the socket would reset the connection and could lose the answer.
///
/// Requests are matched to answers in order (HTTP/1.1 answers pipelined requests in the order they came);
/// an informational (1xx) head is not an answer.
final class EarlyAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let linger: TimeAmount
    /// For each request received and not yet answered in full, oldest first: whether it has arrived whole.
    private var arrived: [Bool] = []
    /// Set once an early answer's head has gone out: the connection ends after it.
    private var answeringEarly = false
    private var closing: Scheduled<Void>?

    init(linger: TimeAmount) { self.linger = linger }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After an early answer, the rest of its body and anything after it are dropped unread.
        guard !answeringEarly else { return }
        switch unwrapInboundIn(data) {
        case .head: arrived.append(false)
        case .end: if let last = arrived.indices.last { arrived[last] = true }
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where arrived.first == false && response.status.kind != .informational:
            answeringEarly = true
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end:
            if !arrived.isEmpty { arrived.removeFirst() }
            guard answeringEarly, closing == nil else { return context.write(data, promise: promise) }
            let written = promise ?? context.eventLoop.makePromise()
            context.write(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in
                self.closing = context.eventLoop.assumeIsolated().scheduleTask(in: self.linger) {
                    context.close(promise: nil)
                }
            }
        default:
            context.write(data, promise: promise)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closing?.cancel()
        closing = nil
    }
}

/// Bound to its channel's event loop, like every NIO handler.
@available(*, unavailable)
extension EarlyAnswerHandler: Sendable {}
