import LedgerCore
import Synchronization

/// Recently used state-tree nodes, decoded. Nodes are immutable once written (their key includes the
/// version that wrote them), so the cache never needs invalidating. Two generations approximate LRU:
/// when the young one fills, it becomes the old one and the previous old one is dropped; a hit in the old
/// generation moves the node back to the young one.
final class TreeNodeCache: Sendable {
    private struct Generations {
        var young: [TreeNodeKey: TreeNode] = [:]
        var old: [TreeNodeKey: TreeNode] = [:]
    }

    private let generations = Mutex(Generations())
    private let capacity: Int

    /// `capacity` nodes per generation (144 bytes of dictionary bucket per node, and a dictionary of N entries
    /// has the power of two at or above 4N/3 buckets).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func node(_ key: TreeNodeKey) -> TreeNode? {
        generations.withLock { state in
            if let node = state.young[key] { return node }
            guard let node = state.old[key] else { return nil }
            Self.insert(key, node, into: &state, capacity: capacity)
            return node
        }
    }

    func insert(_ key: TreeNodeKey, _ node: TreeNode) {
        generations.withLock { Self.insert(key, node, into: &$0, capacity: capacity) }
    }

    private static func insert(_ key: TreeNodeKey, _ node: TreeNode, into state: inout Generations, capacity: Int) {
        if state.young.count >= capacity {
            state.old = state.young
            state.young = [:]
            state.young.reserveCapacity(capacity)
        }
        state.young[key] = node
    }
}
