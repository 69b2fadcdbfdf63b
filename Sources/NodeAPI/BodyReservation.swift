import NIOConcurrencyHelpers

/// The body bytes one request holds in the node's `BodyBudget`, taken as they arrive and given back only when
/// the request has been answered (`ClientMiddleware`): the bytes, and what decoding makes of them, live until
/// then, so a body that has fully arrived still counts (issue 16 review). Once a body grows past
/// `BodyBudget.smallBody`, all of it counts as bulk.
final class BodyReservation: Sendable {
    private let budget: BodyBudget
    private let client: String
    private let held = NIOLockedValueBox((bytes: 0, bulk: 0))

    init(budget: BodyBudget, client: String) {
        self.budget = budget
        self.client = client
    }

    /// Takes `bytes` more for this request; false when the node's, the client's or the bulk share is full.
    func take(_ bytes: Int) -> Bool {
        held.withLockedValue { held in
            let small = BodyBudget.smallBody
            // Crossing into bulk moves what the request already holds there too.
            let bulk = held.bytes + bytes <= small ? 0 : held.bytes > small ? bytes : held.bytes + bytes
            guard budget.reserve(bytes, bulk: bulk, for: client) else { return false }
            held.bytes += bytes
            held.bulk += bulk
            return true
        }
    }

    /// Gives back everything this request took.
    func releaseAll() {
        let taken = held.withLockedValue { held in
            defer { held = (0, 0) }
            return held
        }
        budget.release(taken.bytes, bulk: taken.bulk, for: client)
    }
}
