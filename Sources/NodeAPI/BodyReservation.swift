import NIOConcurrencyHelpers

/// The body bytes one request holds in the node's `BodyBudget`, taken as they arrive and given back only when
/// the request has been answered (`ClientMiddleware`): the bytes, and what decoding makes of them, live until
/// then, so a body that has fully arrived still counts (issue 16 review). A batch body's bytes count in the
/// budget's batch share too.
final class BodyReservation: Sendable {
    private let budget: BodyBudget
    private let client: String
    private let held = NIOLockedValueBox((bytes: 0, batch: 0))

    init(budget: BodyBudget, client: String) {
        self.budget = budget
        self.client = client
    }

    /// Takes `bytes` more for this request, of a `batch` body or not; false when a share is full.
    func take(_ bytes: Int, batch: Bool) -> Bool {
        held.withLockedValue { held in
            guard budget.reserve(bytes, batch: batch, for: client) else { return false }
            held.bytes += bytes
            if batch { held.batch += bytes }
            return true
        }
    }

    /// Gives back everything this request took.
    func releaseAll() {
        let taken = held.withLockedValue { held in
            defer { held = (0, 0) }
            return held
        }
        budget.release(taken.bytes, batch: taken.batch, for: client)
    }
}
