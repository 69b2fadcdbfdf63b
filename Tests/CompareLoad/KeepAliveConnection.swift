import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 keep-alive connection, one request at a time: a closed-loop client. Built on SwiftNIO so the
/// client, not Foundation's URLSession (about a thousand requests a second here), is never what is measured.
final class KeepAliveConnection: @unchecked Sendable {
    private let channel: any Channel
    private let handler: ResponseHandler
    private let host: String

    private init(channel: any Channel, handler: ResponseHandler, host: String) {
        self.channel = channel
        self.handler = handler
        self.host = host
    }

    /// Connects to `host:port` (a URL's authority, without scheme).
    static func connect(to authority: String, group: any EventLoopGroup) async throws -> KeepAliveConnection {
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...])
        else { throw ConnectionError.badAddress(authority) }
        let host = String(authority[..<colon])
        let handler = ResponseHandler()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMap { channel.pipeline.addHandler(handler) }
            }
            .connect(host: host, port: port)
            .get()
        return KeepAliveConnection(channel: channel, handler: handler, host: authority)
    }

    /// Sends a POST and returns the status and body.
    func post(_ path: String, body: [UInt8], contentType: String) async throws -> (Int, [UInt8]) {
        let promise = channel.eventLoop.makePromise(of: (Int, [UInt8]).self)
        channel.eventLoop.execute {
            guard self.handler.pending == nil else {
                promise.fail(ConnectionError.busy)
                return
            }
            self.handler.pending = promise
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
            head.headers.add(name: "Host", value: self.host)
            head.headers.add(name: "Content-Type", value: contentType)
            head.headers.add(name: "Content-Length", value: "\(body.count)")
            self.channel.write(HTTPClientRequestPart.head(head), promise: nil)
            self.channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            self.channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        return try await promise.futureResult.get()
    }

    func close() async { try? await channel.close() }

    enum ConnectionError: Error {
        case badAddress(String)
        case busy
        case closed
    }

    /// Collects one response at a time for the request waiting on `pending`; runs on the channel's loop.
    private final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart

        var pending: EventLoopPromise<(Int, [UInt8])>?
        private var status = 0
        private var body: [UInt8] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                status = Int(head.status.code)
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                let promise = pending
                pending = nil
                promise?.succeed((status, body))
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            pending?.fail(error)
            pending = nil
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            pending?.fail(ConnectionError.closed)
            pending = nil
        }
    }
}
