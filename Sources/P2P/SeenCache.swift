import LedgerCrypto

/// The most recent `capacity` message digests, for gossip deduplication: insertion answers whether the digest
/// is new, and the oldest is forgotten first. Memory is bounded whatever peers send.
public struct SeenCache: Sendable {
    public let capacity: Int
    private var members: Set<Digest> = []
    private var order: [Digest] = []
    private var next = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        members.reserveCapacity(self.capacity)
    }

    public var count: Int { members.count }

    public func contains(_ digest: Digest) -> Bool { members.contains(digest) }

    /// Records `digest`; true when it was not already held.
    public mutating func insert(_ digest: Digest) -> Bool {
        guard !members.contains(digest) else { return false }
        if order.count < capacity {
            order.append(digest)
        } else {
            members.remove(order[next])
            order[next] = digest
            next = (next + 1) % capacity
        }
        members.insert(digest)
        return true
    }
}
