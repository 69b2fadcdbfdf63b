import LedgerCrypto

/// Loads stored state-tree nodes. `Storage` implements it over RocksDB; `InMemoryTreeStore` is its twin.
public protocol TreeNodeReader {
    func node(_ key: TreeNodeKey) throws(StateReadError) -> TreeNode?
}

/// The nodes one version adds and the older nodes it makes stale (kept until pruned, for reads and proofs
/// at older versions).
public struct TreeUpdate: Sendable {
    public let version: UInt64
    /// The new root, nil for the empty tree.
    public let root: TreeChild?
    public let newNodes: [(TreeNodeKey, TreeNode)]
    public let staleNodes: [TreeNodeKey]

    /// The root hash (`Digest.zero` for the empty tree).
    public var rootHash: Digest { root?.hash ?? .zero }
}

/// A versioned sparse Merkle tree over 256-bit keys (`docs/state-tree.md`).
///
/// Leaves hash as `H(0x00 ‖ key ‖ valueHash)`, internal nodes as `H(0x01 ‖ left ‖ right)`, an empty subtree
/// is `Digest.zero`, and a subtree holding a single leaf is that leaf (so the depth is about log2 n, not 256).
/// Updating k keys costs O(k log n) hashes and node reads. Each version writes new nodes only; older nodes
/// stay readable until pruned. Pure: reads nodes through `TreeNodeReader`, returns a `TreeUpdate`.
public struct SparseMerkleTree: Sendable {
    public static let leafPrefix: UInt8 = 0x00
    public static let nodePrefix: UInt8 = 0x01

    public let hash: any HashFunction

    public init(hash: any HashFunction) {
        self.hash = hash
    }

    public func leafHash(key: Digest, valueHash: Digest) -> Digest {
        hash.hash(prefix: Self.leafPrefix, key, valueHash)
    }

    public func nodeHash(left: Digest, right: Digest) -> Digest {
        hash.hash(prefix: Self.nodePrefix, left, right)
    }

    /// Writes `values` (key → value hash) at `version` over the tree whose root is `root`.
    /// `version` must be greater than every version already in the tree.
    public func update(
        root: TreeChild?,
        version: UInt64,
        values: [Digest: Digest],
        reader: some TreeNodeReader
    ) throws(StateReadError) -> TreeUpdate {
        var builder = UpdateBuilder(tree: self, version: version, reader: reader)
        let entries = values.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
        let newRoot = try builder.insert(root, depth: 0, entries[...])
        return TreeUpdate(version: version, root: newRoot, newNodes: builder.newNodes, staleNodes: builder.staleNodes)
    }

    /// The value hash stored for `key` and the proof of it (or of its absence) against `root`.
    public func prove(key: Digest, root: TreeChild?, reader: some TreeNodeReader) throws(StateReadError) -> StateProof {
        var siblings: [Digest] = []
        var current = root
        var depth = 0
        while let child = current {
            guard let node = try reader.node(TreeNodeKey(version: child.version, depth: depth, key: key)) else {
                throw StateReadError("state tree node missing at depth \(depth), version \(child.version)")
            }
            switch node {
            case .leaf(let leafKey, let valueHash):
                return StateProof(key: key, siblings: siblings, terminal: .leaf(key: leafKey, valueHash: valueHash))
            case .internal(let left, let right):
                let goRight = key.bit(depth)
                siblings.append((goRight ? left : right)?.hash ?? .zero)
                current = goRight ? right : left
                depth += 1
            }
        }
        return StateProof(key: key, siblings: siblings, terminal: .empty)
    }

    /// Builds the new nodes of one update, recursively along the touched paths.
    private struct UpdateBuilder<Reader: TreeNodeReader> {
        let tree: SparseMerkleTree
        let version: UInt64
        let reader: Reader
        var newNodes: [(TreeNodeKey, TreeNode)] = []
        var staleNodes: [TreeNodeKey] = []

        mutating func insert(
            _ existing: TreeChild?,
            depth: Int,
            _ entries: ArraySlice<(Digest, Digest)>
        ) throws(StateReadError) -> TreeChild? {
            guard let first = entries.first else { return existing }
            guard let existing else { return try build(depth: depth, entries) }
            let position = TreeNodeKey(version: existing.version, depth: depth, key: first.0)
            guard let node = try reader.node(position) else {
                throw StateReadError("state tree node missing at depth \(depth), version \(existing.version)")
            }
            staleNodes.append(position)
            switch node {
            case .leaf(let key, let valueHash):
                // The old leaf moves down beside the new entries unless one of them replaces it.
                var merged = Array(entries)
                if !merged.contains(where: { $0.0 == key }) {
                    merged.append((key, valueHash))
                    merged.sort { $0.0 < $1.0 }
                }
                return try build(depth: depth, merged[...])
            case .internal(let left, let right):
                let split = entries.firstIndex { $0.0.bit(depth) } ?? entries.endIndex
                let newLeft = try insert(left, depth: depth + 1, entries[..<split])
                let newRight = try insert(right, depth: depth + 1, entries[split...])
                return store(.internal(left: newLeft, right: newRight), depth: depth, key: first.0)
            }
        }

        /// A subtree holding exactly `entries` (sorted by key), none of them stored yet.
        mutating func build(depth: Int, _ entries: ArraySlice<(Digest, Digest)>) throws(StateReadError) -> TreeChild? {
            guard let first = entries.first else { return nil }
            if entries.count == 1 {
                return store(.leaf(key: first.0, valueHash: first.1), depth: depth, key: first.0)
            }
            guard depth < 256 else { throw StateReadError("two entries share all 256 key bits") }
            let split = entries.firstIndex { $0.0.bit(depth) } ?? entries.endIndex
            let left = try build(depth: depth + 1, entries[..<split])
            let right = try build(depth: depth + 1, entries[split...])
            return store(.internal(left: left, right: right), depth: depth, key: first.0)
        }

        mutating func store(_ node: TreeNode, depth: Int, key: Digest) -> TreeChild {
            newNodes.append((TreeNodeKey(version: version, depth: depth, key: key), node))
            switch node {
            case .leaf(let leafKey, let valueHash):
                return TreeChild(
                    hash: tree.leafHash(key: leafKey, valueHash: valueHash),
                    version: version,
                    isLeaf: true
                )
            case .internal(let left, let right):
                let hash = tree.nodeHash(left: left?.hash ?? .zero, right: right?.hash ?? .zero)
                return TreeChild(hash: hash, version: version, isLeaf: false)
            }
        }
    }
}
