import NIOConcurrencyHelpers
import NIOCore
import Node

/// Open API connections per client (`ClientAddress.key`: an IPv4 address, an IPv6 /64), so one client cannot
/// hold more than its share (`HTTPLimits.maximumConnectionsPerClient`). Trusted proxies are not capped.
public final class ConnectionCounter: Sendable {
    public let maximumPerClient: Int
    private let trustedProxies: [IPAddressRange]
    private let open = NIOLockedValueBox([String: Int]())

    public init(maximumPerClient: Int, trustedProxies: [IPAddressRange] = []) {
        self.maximumPerClient = maximumPerClient
        self.trustedProxies = trustedProxies
    }

    /// Counts a new connection from `address`; false (and nothing counted) when the address already holds
    /// its share.
    public func opened(_ address: String) -> Bool {
        if isTrusted(address) { return true }
        let client = ClientAddress.key(address)
        return open.withLockedValue { open in
            guard open[client, default: 0] < maximumPerClient else { return false }
            open[client, default: 0] += 1
            return true
        }
    }

    /// Forgets one connection of `address` counted by `opened`.
    public func closed(_ address: String) {
        if isTrusted(address) { return }
        let client = ClientAddress.key(address)
        open.withLockedValue { open in
            let left = open[client, default: 1] - 1
            open[client] = left > 0 ? left : nil
        }
    }

    private func isTrusted(_ address: String) -> Bool {
        guard let bytes = IPAddressRange.address(address) else { return false }
        return trustedProxies.contains { $0.contains(bytes) }
    }

    /// Connections `address`'s client (`ClientAddress.key`) holds now.
    public func connections(from address: String) -> Int {
        open.withLockedValue { $0[ClientAddress.key(address)] ?? 0 }
    }
}

/// Closes a new API connection whose address already holds its share of connections; counts it otherwise
/// until the channel goes away. Passes every message through untouched.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any
    private let counter: ConnectionCounter
    private var counted: String?

    init(counter: ConnectionCounter) { self.counter = counter }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if counter.opened(address) {
            counted = address
        } else {
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let counted { counter.closed(counted) }
        counted = nil
    }
}
