/// The state tree's nodes in a dictionary: the twin of the RocksDB tree store for tests and the simulator.
public struct InMemoryTreeStore: TreeNodeReader, Sendable {
    public private(set) var nodes: [TreeNodeKey: TreeNode] = [:]
    public private(set) var roots: [UInt64: TreeChild?] = [:]

    public init() {}

    public func node(_ key: TreeNodeKey) throws(StateReadError) -> TreeNode? { nodes[key] }

    public mutating func apply(_ update: TreeUpdate) {
        for (key, node) in update.newNodes { nodes[key] = node }
        roots[update.version] = update.root
    }

    /// Drops every node that only versions below `version` still need.
    public mutating func prune(staleNodes: [TreeNodeKey]) {
        for key in staleNodes { nodes[key] = nil }
    }
}
