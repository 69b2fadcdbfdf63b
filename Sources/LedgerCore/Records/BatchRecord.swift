import LedgerCrypto

/// An anchored batch root: who anchored it, how many leaves, when.
public struct BatchRecord: Hashable, Sendable, CanonicalCodable {
    public let issuer: OrgID
    public let leafCount: UInt32
    public let label: String
    public let height: UInt64

    public init(issuer: OrgID, leafCount: UInt32, label: String, height: UInt64) {
        self.issuer = issuer
        self.leafCount = leafCount
        self.label = label
        self.height = height
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(issuer)
        writer.write(leafCount)
        writer.write(label)
        writer.write(height)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        issuer = try reader.read(OrgID.self)
        leafCount = try reader.read(UInt32.self)
        label = try reader.readString(maxLength: BatchAnchor.maximumLabelLength, "batch label")
        height = try reader.read(UInt64.self)
    }
}
