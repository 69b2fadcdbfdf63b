import Hummingbird
import NIOCore

/// The API's request context: Hummingbird's core context, the client's address, which the rate limit
/// keys on, and the client's transaction quota (set by the rate limit; nil when transactions are unlimited).
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    var transactionQuota: TransactionQuota?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
