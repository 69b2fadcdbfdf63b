import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP client that writes raw bytes and keeps what it receives, bound to a chosen source address.
public final class RawClient: Sendable {
    private let channel: Channel
    private let collector: Collector

    private init(channel: Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    public static func connect(port: Int, from source: String) async throws -> RawClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .channelInitializer { channel in channel.pipeline.addHandler(collector) }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawClient(channel: channel, collector: collector)
    }

    public func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Everything received so far, as text.
    public func received() async -> String { collector.text }

    /// False once the server (or this side) has closed the connection.
    public var isOpen: Bool { channel.isActive }

    /// Writes one byte every `interval` from the connection's own event loop — so a loaded test process
    /// cannot slow the trickle down into an idle connection — until cancelled or closed.
    public func trickle(every interval: TimeAmount) -> RepeatedTask {
        let channel = channel
        return channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
            guard channel.isActive else { return task.cancel() }
            channel.writeAndFlush(ByteBuffer(string: "x"), promise: nil)
        }
    }

    public func close() async {
        // try?: already closed by the server is the expected case.
        try? await channel.close()
    }

    /// Keeps the bytes a channel reads.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let bytes = NIOLockedValueBox([UInt8]())

        var text: String { String(decoding: bytes.withLockedValue { $0 }, as: UTF8.self) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLockedValue { $0.append(contentsOf: buffer.readableBytesView) }
        }
    }
}
