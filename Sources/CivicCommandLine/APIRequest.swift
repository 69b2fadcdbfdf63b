import Foundation
import LedgerCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request from a command-line tool to a node's API.
public enum APIRequest {
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
    }

    /// Sends the request; an unreachable node is an `InputError` naming the address (exit 2).
    public static func send(
        _ method: String,
        _ url: String,
        body: [UInt8]? = nil,
        contentType: String? = nil,
        timeout: TimeInterval = 30
    ) async throws -> Response {
        guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https" else {
            throw InputError(message: "\(url) is not an http(s) URL")
        }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.httpMethod = method
        if let body { request.httpBody = Data(body) }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: Array(data))
        } catch {
            throw InputError(message: "cannot reach \(url): \(error.localizedDescription)")
        }
    }

    /// GETs `url` and parses its JSON body; nil for anything but a 200 with JSON (for tools that poll).
    public static func json(_ url: String, timeout: TimeInterval = 10) async -> JSONValue? {
        // try?: a poller's "not yet": any failure is absence (documented above).
        guard let response = try? await send("GET", url, timeout: timeout), response.status == 200 else { return nil }
        return try? JSONParser.parse(response.body)
    }
}
