import LedgerCrypto

/// Where a state-tree node is stored: the version (block height) that wrote it and its position — the first
/// `depth` bits of the keys below it. Encoded as 8-byte version ‖ 2-byte depth ‖ 32-byte masked path.
public struct TreeNodeKey: Hashable, Sendable {
    public let version: UInt64
    public let depth: Int
    /// The key bits of the position, all bits from `depth` on cleared.
    public let path: Digest

    public init(version: UInt64, depth: Int, key: Digest) {
        self.version = version
        self.depth = depth
        path = key.prefix(bits: depth)
    }

    public static let encodedSize = 42

    public var encoded: [UInt8] {
        var writer = CanonicalWriter(reservingCapacity: Self.encodedSize)
        writer.write(version)
        writer.write(UInt16(depth))
        writer.write(path)
        return writer.bytes
    }

    public init?(encoded bytes: [UInt8]) {
        var reader = CanonicalReader(bytes)
        // try?: a failable decoder: bytes that do not read are not a node.
        guard let version = try? reader.read(UInt64.self), let depth = try? reader.read(UInt16.self), depth <= 256,
            let path = try? reader.read(Digest.self), reader.remaining == 0, path.prefix(bits: Int(depth)) == path
        else { return nil }
        self.version = version
        self.depth = Int(depth)
        self.path = path
    }
}

/// A reference from a parent to a child node: the child's hash, and where to load it.
public struct TreeChild: Hashable, Sendable, CanonicalCodable {
    public let hash: Digest
    public let version: UInt64
    public let isLeaf: Bool

    public init(hash: Digest, version: UInt64, isLeaf: Bool) {
        self.hash = hash
        self.version = version
        self.isLeaf = isLeaf
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(hash)
        writer.write(version)
        writer.write(isLeaf)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        hash = try reader.read(Digest.self)
        version = try reader.read(UInt64.self)
        isLeaf = try reader.read(Bool.self)
    }
}

/// A node of the sparse Merkle tree (`docs/state-tree.md`): an internal node with up to two children, or a
/// leaf holding one key and the hash of its value, placed at the shortest prefix that is unique to it.
public enum TreeNode: Hashable, Sendable, CanonicalCodable {
    case `internal`(left: TreeChild?, right: TreeChild?)
    case leaf(key: Digest, valueHash: Digest)

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .internal(let left, let right):
            writer.write(UInt8(1))
            writer.write(left)
            writer.write(right)
        case .leaf(let key, let valueHash):
            writer.write(UInt8(2))
            writer.write(key)
            writer.write(valueHash)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        switch try reader.read(UInt8.self) {
        case 1:
            let left = try reader.readOptional(TreeChild.self)
            let right = try reader.readOptional(TreeChild.self)
            guard left != nil || right != nil else {
                throw CanonicalDecodingError(.invalidValue, at: start, "an internal node needs a child")
            }
            self = .internal(left: left, right: right)
        case 2: self = .leaf(key: try reader.read(Digest.self), valueHash: try reader.read(Digest.self))
        case let tag: throw CanonicalDecodingError(.unknownTag, at: start, "unknown tree node tag \(tag)")
        }
    }
}
