import LedgerCrypto

/// An RFC 9162 §2.1.4 consistency proof: shows that the tree of `oldSize` leaves is a prefix of the tree of
/// `newSize` leaves.
public struct ConsistencyProof: Hashable, Sendable, CanonicalCodable {
    /// Consistency paths are at most about 2·log2(size) long; 128 covers every 64-bit size.
    public static let maximumPathLength = 128

    public let oldSize: UInt64
    public let newSize: UInt64
    public let hashes: [Digest]

    public init(oldSize: UInt64, newSize: UInt64, hashes: [Digest]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.hashes = hashes
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(oldSize)
        writer.write(newSize)
        writer.write(hashes)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        oldSize = try reader.read(UInt64.self)
        newSize = try reader.read(UInt64.self)
        hashes = try reader.readArray(of: Digest.self, maxCount: Self.maximumPathLength, "consistency path")
    }
}
