/// What a transaction does. Encoded as a one-byte tag followed by the case's fields; tags are fixed forever
/// (`docs/encoding.md` lists them, including those reserved for payloads still to come).
public enum TransactionPayload: Hashable, Sendable, CanonicalCodable {
    case certificateAnchor(CertificateAnchor)
    case batchAnchor(BatchAnchor)
    case subsidyBatch(SubsidyBatch)

    /// The wire tag of each case.
    public var tag: UInt8 {
        switch self {
        case .certificateAnchor: return 1
        case .batchAnchor: return 3
        case .subsidyBatch: return 6
        }
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(tag)
        switch self {
        case .certificateAnchor(let anchor): writer.write(anchor)
        case .batchAnchor(let batch): writer.write(batch)
        case .subsidyBatch(let batch): writer.write(batch)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let tag = try reader.read(UInt8.self)
        switch tag {
        case 1: self = .certificateAnchor(try reader.read(CertificateAnchor.self))
        case 3: self = .batchAnchor(try reader.read(BatchAnchor.self))
        case 6: self = .subsidyBatch(try reader.read(SubsidyBatch.self))
        default: throw CanonicalDecodingError(.unknownTag, at: start, "unknown transaction payload tag \(tag)")
        }
    }
}
