import LedgerCrypto

/// A proof that a key holds a value — or holds nothing — in the state tree with a given root. Verified with
/// nothing but the suite's hash (`docs/state-tree.md`), so the offline verifier can use it.
public struct StateProof: Hashable, Sendable, CanonicalCodable {
    /// Where the path from the root along the key's bits ends.
    public enum Terminal: Hashable, Sendable {
        /// An empty subtree: the key is absent.
        case empty
        /// A leaf: the key itself (present, with this value hash), or another key sharing the path (absent).
        case leaf(key: Digest, valueHash: Digest)
    }

    public let key: Digest
    /// Sibling hashes from the root downwards (`Digest.zero` for an empty sibling).
    public let siblings: [Digest]
    public let terminal: Terminal

    public init(key: Digest, siblings: [Digest], terminal: Terminal) {
        self.key = key
        self.siblings = siblings
        self.terminal = terminal
    }

    /// The value hash the proof shows for `key`, or nil when it shows the key is absent.
    public var valueHash: Digest? {
        if case .leaf(let leafKey, let valueHash) = terminal, leafKey == key { return valueHash }
        return nil
    }

    /// Checks the proof against `root`; returns the value hash of `key` (nil: proven absent).
    public func verify(root: Digest, hash: any HashFunction) throws(StateProofError) -> Digest? {
        let tree = SparseMerkleTree(hash: hash)
        var current: Digest
        switch terminal {
        case .empty:
            current = .zero
        case .leaf(let leafKey, let valueHash):
            // A leaf sits on its own key's path: an absence proof must end at a leaf sharing that path.
            guard leafKey.prefix(bits: siblings.count) == key.prefix(bits: siblings.count) else {
                throw StateProofError.leafOffPath
            }
            current = tree.leafHash(key: leafKey, valueHash: valueHash)
        }
        for depth in stride(from: siblings.count - 1, through: 0, by: -1) {
            let sibling = siblings[depth]
            current =
                key.bit(depth)
                ? tree.nodeHash(left: sibling, right: current) : tree.nodeHash(left: current, right: sibling)
        }
        let expectedEmpty = siblings.isEmpty && terminal == .empty
        guard current == root || (expectedEmpty && root == .zero) else { throw StateProofError.rootMismatch }
        return valueHash
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(key)
        writer.write(siblings)
        switch terminal {
        case .empty:
            writer.write(UInt8(0))
        case .leaf(let leafKey, let valueHash):
            writer.write(UInt8(1))
            writer.write(leafKey)
            writer.write(valueHash)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        key = try reader.read(Digest.self)
        siblings = try reader.readArray(of: Digest.self, maxCount: 256, "state proof siblings")
        let start = reader.offset
        switch try reader.read(UInt8.self) {
        case 0: terminal = .empty
        case 1: terminal = .leaf(key: try reader.read(Digest.self), valueHash: try reader.read(Digest.self))
        case let tag: throw CanonicalDecodingError(.unknownTag, at: start, "unknown state proof terminal \(tag)")
        }
    }
}

/// Why a state proof does not hold.
public enum StateProofError: Error, Sendable, Equatable, CustomStringConvertible {
    case rootMismatch
    case leafOffPath

    public var description: String {
        switch self {
        case .rootMismatch: return "the state proof does not lead to the trusted state root"
        case .leafOffPath: return "the state proof ends at a leaf that is not on the key's path"
        }
    }
}
