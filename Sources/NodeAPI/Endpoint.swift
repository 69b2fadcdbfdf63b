import Hummingbird
import Node

/// One route of the API: its method, its path as the OpenAPI file writes it, and its handler.
public struct Endpoint: Sendable {
    public let method: HTTPRequest.Method
    public let path: String
    let handle: @Sendable (APIRequest, LedgerNode) async throws -> Response

    init(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ handle: @escaping @Sendable (APIRequest, LedgerNode) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.handle = handle
    }
}

/// A request with its context, and its path parameters by name (empty when absent).
struct APIRequest {
    let request: Request
    let context: APIRequestContext

    subscript(parameter: String) -> String { context.parameters.get(parameter) ?? "" }
}
