import LedgerCrypto

/// A type with one canonical byte encoding, written field by field in declared order.
public protocol CanonicalEncodable {
    func encode(to writer: inout CanonicalWriter)
}

/// A type that decodes from its canonical encoding, totally: a value or a `CanonicalDecodingError`.
public protocol CanonicalDecodable {
    init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError)
}

/// Both directions.
public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

extension CanonicalEncodable {
    /// The canonical encoding of this value.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension CanonicalDecodable {
    /// Decodes a value that must span all of `bytes`, refusing inputs above `maximumSize`.
    public init(
        canonicalBytes bytes: [UInt8],
        maximumSize: Int = CanonicalReader.maximumInputSize
    )
        throws(CanonicalDecodingError)
    {
        guard bytes.count <= maximumSize else {
            throw CanonicalDecodingError(.limitExceeded, at: 0, "input is \(bytes.count) bytes, limit \(maximumSize)")
        }
        var reader = CanonicalReader(bytes)
        self = try Self(decoding: &reader)
        try reader.finish()
    }
}

extension Digest: CanonicalCodable {
    public func encode(to writer: inout CanonicalWriter) { writer.write(self) }
    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        self = try reader.read(Digest.self)
    }
}

extension UInt64: CanonicalCodable {
    public func encode(to writer: inout CanonicalWriter) { writer.write(self) }
    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        self = try reader.read(UInt64.self)
    }
}

/// A signature is its 64 raw bytes `r ‖ s` (`docs/encoding.md`).
extension Signature: CanonicalCodable {
    public func encode(to writer: inout CanonicalWriter) { writer.write(raw: bytes) }
    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let raw = try reader.readRaw(count: Signature.byteCount, "signature")
        // try?: converted to a decoding error at this offset.
        guard let signature = try? Signature(bytes: raw) else {
            throw CanonicalDecodingError(.invalidValue, at: start, "signature must be 64 bytes")
        }
        self = signature
    }
}
