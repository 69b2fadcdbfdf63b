import LedgerCore
import LedgerCrypto
import NIOConcurrencyHelpers

/// What became of a transaction this node was given (`GET /v1/txs/{hash}`): committed (from the store),
/// pending (in the mempool), or refused — kept here, the most recent 100,000, since a refused transaction
/// leaves no other trace.
public final class TransactionTracker: Sendable {
    public struct Refusal: Sendable, Equatable {
        public let code: String
        public let message: String
    }

    public static let capacity = 100_000

    private struct Contents {
        var refusals: [Digest: Refusal] = [:]
        var order: [Digest] = []
        var next = 0
    }

    private let contents = NIOLockedValueBox(Contents())

    public init() {}

    /// Remembers each refusal against its transaction's id, the oldest forgotten first.
    public func refused(_ refusals: [(Digest, MempoolRefusal)]) {
        guard !refusals.isEmpty else { return }
        contents.withLockedValue { contents in
            for (id, refusal) in refusals {
                let record = Refusal(code: refusal.code, message: refusal.description)
                if contents.refusals.updateValue(record, forKey: id) != nil { continue }
                if contents.order.count < Self.capacity {
                    contents.order.append(id)
                } else {
                    contents.refusals[contents.order[contents.next]] = nil
                    contents.order[contents.next] = id
                    contents.next = (contents.next + 1) % Self.capacity
                }
            }
        }
    }

    public func refusal(of id: Digest) -> Refusal? { contents.withLockedValue { $0.refusals[id] } }
}
