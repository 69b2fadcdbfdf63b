import NIOConcurrencyHelpers

/// The request-body bytes the API holds while bodies arrive (`HTTPLimits.bodyMemoryBytes`; `docs/api.md`,
/// "Limits"): across all requests, and a quarter of that per client, so unfinished bodies cannot take the
/// node's memory and one client cannot take everyone's share. Bodies larger than `smallBody` (batches) may
/// fill at most three quarters: the last quarter stays for small bodies — single transactions — however many
/// clients hold large ones.
public final class BodyBudget: Sendable {
    /// The largest body that may use the whole budget: a signed transaction fits many times.
    public static let smallBody = 64 << 10

    public let total: Int
    public var perClient: Int { total / 4 }
    /// The most that bodies larger than `smallBody` may hold together.
    public var bulk: Int { total - total / 4 }

    private struct State {
        var used = 0
        var bulkUsed = 0
        var byClient: [String: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init(total: Int) { self.total = total }

    /// Bytes held now, in all.
    public var used: Int { state.withLockedValue { $0.used } }

    /// Takes `bytes` for `client` and counts `bulk` more bytes as bulk (a growing body's new bytes, or all it
    /// holds when it crosses `smallBody`); or nothing and false when a share would be exceeded.
    public func reserve(_ bytes: Int, bulk: Int = 0, for client: String) -> Bool {
        state.withLockedValue { state in
            let clientUsed = state.byClient[client, default: 0]
            guard state.used + bytes <= total, clientUsed + bytes <= perClient, state.bulkUsed + bulk <= self.bulk
            else { return false }
            state.used += bytes
            state.bulkUsed += bulk
            state.byClient[client] = clientUsed + bytes
            return true
        }
    }

    /// Gives back `bytes` reserved for `client`, `bulk` of them counted as bulk.
    public func release(_ bytes: Int, bulk: Int = 0, for client: String) {
        guard bytes > 0 else { return }
        state.withLockedValue { state in
            state.used -= bytes
            state.bulkUsed -= bulk
            let left = state.byClient[client, default: bytes] - bytes
            state.byClient[client] = left > 0 ? left : nil
        }
    }
}
