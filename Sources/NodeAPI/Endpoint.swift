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

extension Endpoint {
    /// Where `path` (a request's path, without query) fills this route's `{parameter}` segments, one flag per
    /// segment (true: a parameter took it); nil when the path is not an instance of the template.
    func parameterSegments(matching path: String) -> [Bool]? {
        let template = self.path.split(separator: "/", omittingEmptySubsequences: false)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard template.count == segments.count else { return nil }
        var flags: [Bool] = []
        for (pattern, segment) in zip(template, segments) {
            if pattern.hasPrefix("{") {
                guard !segment.isEmpty else { return nil }
                flags.append(true)
            } else {
                guard pattern == segment else { return nil }
                flags.append(false)
            }
        }
        return flags
    }
}

extension [Endpoint] {
    /// The methods the routes offer on `path`, for a 405's `Allow` header (RFC 9110 §15.5.6); empty when no
    /// route has that path. As in the router, a literal segment beats a parameter: `/v1/txs/batch` is the
    /// batch route's path only, not also an instance of `/v1/txs/{hash}`.
    public func methods(allowedOn path: String) -> [HTTPRequest.Method] {
        let matches = compactMap { endpoint in endpoint.parameterSegments(matching: path).map { (endpoint, $0) } }
        guard let best = matches.map(\.1).min(by: { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }) else {
            return []
        }
        return matches.filter { $0.1 == best }.map(\.0.method)
    }
}
