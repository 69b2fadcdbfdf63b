import Hummingbird
import NIOCore

/// Reads one request's body within the API's limits (`docs/api.md`, "Limits"): at most `limit` bytes
/// (413 `body_too_large`, read no further), within `timeout` for the whole body however it trickles
/// (408 `body_timeout`), each chunk taken from the node's `BodyBudget` as it arrives (503 `busy` when the
/// node or this client already holds its share, or batch bodies theirs), held until the request is answered
/// (`BodyReservation`).
struct BodyReader: Sendable {
    let reservation: BodyReservation
    let timeout: TimeAmount

    func read(_ request: Request, upTo limit: Int, batch: Bool = false) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw Self.tooLarge(limit)
        }
        let body = request.body
        let (reservation, timeout) = (reservation, timeout)
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var bytes: [UInt8] = []
                for try await chunk in body {
                    guard bytes.count + chunk.readableBytes <= limit else { throw Self.tooLarge(limit) }
                    guard reservation.take(chunk.readableBytes, batch: batch) else {
                        var problem = ProblemDocument(
                            .serviceUnavailable,
                            "busy",
                            "Too many request bodies in flight",
                            "this node (or this client) already holds as many request bytes as it may; retry shortly"
                        )
                        problem.retryAfter = 1
                        throw problem
                    }
                    bytes.append(contentsOf: chunk.readableBytesView)
                }
                return bytes
            }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(max(0, timeout.nanoseconds)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw ProblemDocument(
                    .requestTimeout,
                    "body_timeout",
                    "Request body too slow",
                    "a request body must arrive within \(timeout.nanoseconds / 1_000_000_000) s"
                )
            }
            return bytes
        }
    }

    static func tooLarge(_ limit: Int) -> ProblemDocument {
        ProblemDocument(
            .contentTooLarge,
            "body_too_large",
            "Request body too large",
            "a body here is at most \(limit) bytes"
        )
    }
}
