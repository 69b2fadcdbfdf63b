import NIOConcurrencyHelpers

/// The request-body bytes the API holds while bodies arrive (`HTTPLimits.bodyMemoryBytes`; `docs/api.md`,
/// "Limits"): across all requests, and a quarter of that per client, so unfinished bodies cannot take the
/// node's memory and one client cannot take everyone's share. Batch bodies (`POST /v1/txs/batch`) may fill
/// at most three quarters together: the last quarter stays for everything else — single transactions —
/// however many clients hold batches.
public final class BodyBudget: Sendable {
    public let total: Int
    public var perClient: Int { total / 4 }
    /// The most batch bodies may hold together.
    public var batchShare: Int { total - total / 4 }

    private struct State {
        var used = 0
        var batchUsed = 0
        var byClient: [String: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init(total: Int) { self.total = total }

    /// Bytes held now, in all.
    public var used: Int { state.withLockedValue { $0.used } }
    /// Bytes held now by batch bodies.
    public var batchUsed: Int { state.withLockedValue { $0.batchUsed } }

    /// Takes `bytes` of a `batch` body or another for `client`; or nothing and false when a share would be
    /// exceeded.
    public func reserve(_ bytes: Int, batch: Bool = false, for client: String) -> Bool {
        state.withLockedValue { state in
            let clientUsed = state.byClient[client, default: 0]
            guard state.used + bytes <= total, clientUsed + bytes <= perClient,
                !batch || state.batchUsed + bytes <= batchShare
            else { return false }
            state.used += bytes
            if batch { state.batchUsed += bytes }
            state.byClient[client] = clientUsed + bytes
            return true
        }
    }

    /// Gives back `bytes` reserved for `client`, `batch` of them for batch bodies.
    public func release(_ bytes: Int, batch: Int = 0, for client: String) {
        guard bytes > 0 else { return }
        state.withLockedValue { state in
            state.used -= bytes
            state.batchUsed -= batch
            let left = state.byClient[client, default: bytes] - bytes
            state.byClient[client] = left > 0 ? left : nil
        }
    }
}
