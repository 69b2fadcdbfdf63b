import LedgerCore
import LedgerCrypto
import NIOCore
import NIOPosix
import NIOSSL

@testable import P2P

/// A TLS client with a member's certificate that writes whatever bytes a test gives it: for feeding a node
/// malformed frames over a connection that passed the TLS handshake.
final class RawPeer: Sendable {
    let channel: any Channel

    /// Connects and, when `first` is not empty, writes it on the event loop as soon as the connection is up:
    /// a test task can be starved of the cooperative pool for seconds under the full suite, long enough for
    /// the node to close a connection that has said nothing.
    init(identity: TLSIdentity, port: Int, group: any EventLoopGroup, sending first: [UInt8] = []) async throws {
        let tls = try PinnedTLS(identity: identity)
        channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: tls.clientContext,
                        serverHostname: nil,
                        customVerificationCallback: PinnedTLS.callback { _ in true }
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .flatMap { channel in
                guard !first.isEmpty else { return channel.eventLoop.makeSucceededFuture(channel) }
                return channel.writeAndFlush(channel.allocator.buffer(bytes: first)).map { channel }
            }
            .get()
    }

    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    /// Stops reading the socket: the node's writes to this peer back up.
    func stopReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: false).get()
    }

    var isOpen: Bool { channel.isActive }
}
