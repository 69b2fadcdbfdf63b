import LedgerCrypto

/// An RFC 9162 §2.1.3 inclusion proof: the audit path of leaf `leafIndex` in a tree of `treeSize` leaves,
/// ordered from the leaf's sibling up to the root's child.
public struct InclusionProof: Hashable, Sendable, CanonicalCodable {
    /// A path longer than this cannot belong to a tree of at most 2^64 leaves.
    public static let maximumPathLength = 64

    public let leafIndex: UInt64
    public let treeSize: UInt64
    public let hashes: [Digest]

    public init(leafIndex: UInt64, treeSize: UInt64, hashes: [Digest]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.hashes = hashes
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(leafIndex)
        writer.write(treeSize)
        writer.write(hashes)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        leafIndex = try reader.read(UInt64.self)
        treeSize = try reader.read(UInt64.self)
        hashes = try reader.readArray(of: Digest.self, maxCount: Self.maximumPathLength, "inclusion path")
    }
}
