import Hummingbird
import NIOCore

/// The API's request context: Hummingbird's core context, the connection's address, and what the API's
/// middleware sets — the client the limits count (`ClientMiddleware`), the reader that takes its body within
/// them, and its transaction quota (nil when transactions are unlimited).
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    var client = "unknown"
    var bodyReader: BodyReader?
    var transactionQuota: TransactionQuota?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
