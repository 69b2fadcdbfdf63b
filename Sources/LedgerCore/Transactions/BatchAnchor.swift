import LedgerCrypto

/// Many document digests anchored at once as the RFC 6962 Merkle root of their leaf hashes; each document
/// then proves its place with an inclusion proof against `root`.
public struct BatchAnchor: Hashable, Sendable, CanonicalCodable {
    public static let maximumLabelLength = 128

    public let root: Digest
    public let leafCount: UInt32
    /// A non-personal description of the batch ("2026-11 diplomas, run 3").
    public let label: String

    public init(root: Digest, leafCount: UInt32, label: String) {
        self.root = root
        self.leafCount = leafCount
        self.label = label
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(root)
        writer.write(leafCount)
        writer.write(label)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        root = try reader.read(Digest.self)
        leafCount = try reader.read(UInt32.self)
        label = try reader.readString(maxLength: Self.maximumLabelLength, "batch label")
    }
}
