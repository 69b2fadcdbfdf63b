import NIOCore
import NIOHTTPTypes

/// Ends a connection whose answer went out before its request had arrived whole: a 413, 429, 503 or 408
/// given without reading the rest of the body, or any answer to a request whose body the route never reads.
/// Hummingbird would otherwise read and discard the rest of that body for as long as the client cares to
/// trickle it (`docs/api.md`, "Limits"; the idle timeout restarts with every byte, the body timeout only
/// runs while a route reads). The answer says `Connection: close`, and the connection closes `linger` after
/// the answer is written: time for the client to read it, where closing at once with its bytes still unread
/// in the socket would reset the connection and could lose the answer.
///
/// Requests are matched to answers in order (HTTP/1.1 answers pipelined requests in the order they came).
final class EarlyAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let linger: TimeAmount
    /// For each request received and not yet answered in full, oldest first: whether it has arrived whole.
    private var arrived: [Bool] = []
    /// Set once an early answer has begun: the connection ends after it.
    private var closing: Scheduled<Void>?
    private var answeringEarly = false

    init(linger: TimeAmount) { self.linger = linger }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arrived.append(false)
        case .end: if let last = arrived.indices.last { arrived[last] = true }
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where arrived.first == false:
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
