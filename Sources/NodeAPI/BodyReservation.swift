import NIOConcurrencyHelpers

/// The body bytes one request holds in the node's `BodyBudget`, taken as they arrive and given back only when
/// the request has been answered (`ClientMiddleware`): the bytes, and what decoding makes of them, live until
/// then, so a body that has fully arrived still counts (issue 16 review).
final class BodyReservation: Sendable {
    private let budget: BodyBudget
    private let client: String
    private let held = NIOLockedValueBox(0)

    init(budget: BodyBudget, client: String) {
        self.budget = budget
        self.client = client
    }

    /// Takes `bytes` more for this request; false when the node's or the client's share is full.
    func take(_ bytes: Int) -> Bool {
        guard budget.reserve(bytes, for: client) else { return false }
        held.withLockedValue { $0 += bytes }
        return true
    }

    /// Gives back everything this request took.
    func releaseAll() {
        let bytes = held.withLockedValue { held in
            defer { held = 0 }
            return held
        }
        budget.release(bytes, for: client)
    }
}
