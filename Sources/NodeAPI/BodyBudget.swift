import NIOConcurrencyHelpers

/// The request-body bytes the API holds while bodies arrive (`HTTPLimits.bodyMemoryBytes`): across all
/// requests, and a quarter of that per client, so unfinished bodies cannot take the node's memory and one
/// client cannot take everyone's share.
public final class BodyBudget: Sendable {
    public let total: Int
    public var perClient: Int { total / 4 }

    private struct State {
        var used = 0
        var byClient: [String: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init(total: Int) { self.total = total }

    /// Bytes held now, in all.
    public var used: Int { state.withLockedValue { $0.used } }

    /// Takes `bytes` for `client`, or nothing and false when either share would be exceeded.
    public func reserve(_ bytes: Int, for client: String) -> Bool {
        state.withLockedValue { state in
            let clientUsed = state.byClient[client, default: 0]
            guard state.used + bytes <= total, clientUsed + bytes <= perClient else { return false }
            state.used += bytes
            state.byClient[client] = clientUsed + bytes
            return true
        }
    }

    /// Gives back `bytes` reserved for `client`.
    public func release(_ bytes: Int, for client: String) {
        guard bytes > 0 else { return }
        state.withLockedValue { state in
            state.used -= bytes
            let left = state.byClient[client, default: bytes] - bytes
            state.byClient[client] = left > 0 ? left : nil
        }
    }
}
