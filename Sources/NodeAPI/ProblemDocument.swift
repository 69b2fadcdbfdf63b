import Hummingbird
import LedgerCore

/// An RFC 9457 problem document: what the API answers for every error, with a stable `code` (`docs/api.md`).
struct ProblemDocument: Error {
    let status: HTTPResponse.Status
    let code: String
    let title: String
    let detail: String
    /// Seconds a client should wait before retrying (`Retry-After`), for 429 and 503 answers that know it.
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ code: String, _ title: String, _ detail: String) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
    }

    /// A body that is not what the route reads (`malformed_body`, 400).
    static func malformedBody(_ detail: String) -> ProblemDocument {
        ProblemDocument(.badRequest, "malformed_body", "Malformed body", detail)
    }

    /// The node could not read its own ledger (`ledger_unreadable`, 503).
    static func ledgerUnreadable(_ error: any Error) -> ProblemDocument {
        ProblemDocument(.serviceUnavailable, "ledger_unreadable", "Ledger unreadable", "\(error)")
    }

    var response: Response {
        let document = JSONValue.object([
            JSONMember("type", .string("https://civicledger.org/problems/\(code)")),
            JSONMember("title", .string(title)),
            JSONMember("status", .integer(Int64(status.code))),
            JSONMember("detail", .string(detail)),
            JSONMember("code", .string(code)),
        ])
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: document.serializedBytes() + [UInt8(ascii: "\n")]))
        )
    }
}

/// A JSON response.
func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    Response(
        status: status,
        headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serializedBytes() + [UInt8(ascii: "\n")]))
    )
}
