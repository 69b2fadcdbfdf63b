import LedgerCore
import LedgerCrypto
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

@testable import Network

/// A TLS client with a member's certificate that writes whatever bytes a test gives it: for feeding a node
/// malformed frames over a connection that passed the TLS handshake.
final class RawPeer: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = NIOLockedValueBox<Int>(0)
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data).readableBytes
            received.withLockedValue { $0 += bytes }
        }
    }

    let channel: any Channel
    private let collector: Collector

    init(identity: TLSIdentity, port: Int, group: any EventLoopGroup) async throws {
        let tls = try PinnedTLS(identity: identity)
        let collector = Collector()
        self.collector = collector
        channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: tls.clientContext,
                        serverHostname: nil,
                        customVerificationCallback: PinnedTLS.callback { _ in true }
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
    }

    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    /// Stops reading the socket: the node's writes to this peer back up.
    func stopReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: false)
    }

    var receivedBytes: Int { collector.received.withLockedValue { $0 } }
    var isOpen: Bool { channel.isActive }
}
