import LedgerCrypto

/// Reads canonical encodings. Total: every read either returns a value or throws
/// `CanonicalDecodingError`; nothing traps, and no allocation is sized by an unchecked length.
public struct CanonicalReader: ~Copyable {
    private let bytes: [UInt8]
    /// The byte offset of the next read.
    public private(set) var offset: Int

    /// The hard limit on any input handed to a decoder (a block is the largest value: see `docs/encoding.md`).
    public static let maximumInputSize = 64 * 1024 * 1024

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    public mutating func read(_: UInt8.Type) throws(CanonicalDecodingError) -> UInt8 {
        try require(1, "UInt8")
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func read(_: UInt16.Type) throws(CanonicalDecodingError) -> UInt16 { try readInteger() }
    public mutating func read(_: UInt32.Type) throws(CanonicalDecodingError) -> UInt32 { try readInteger() }
    public mutating func read(_: UInt64.Type) throws(CanonicalDecodingError) -> UInt64 { try readInteger() }
    public mutating func read(_: Int64.Type) throws(CanonicalDecodingError) -> Int64 {
        Int64(bitPattern: try readInteger() as UInt64)
    }

    /// A Bool is exactly 0 or 1; any other byte is refused, so each Bool has one encoding.
    public mutating func read(_: Bool.Type) throws(CanonicalDecodingError) -> Bool {
        let start = offset
        switch try read(UInt8.self) {
        case 0: return false
        case 1: return true
        case let other: throw CanonicalDecodingError(.invalidValue, at: start, "Bool must be 0 or 1, got \(other)")
        }
    }

    public mutating func read(_: Digest.Type) throws(CanonicalDecodingError) -> Digest {
        try require(Digest.byteCount, "digest")
        defer { offset += Digest.byteCount }
        return bytes.withUnsafeBytes { Digest(copying: UnsafeRawBufferPointer(rebasing: $0[offset...])) }
    }

    /// A length-prefixed byte string of at most `maxLength` bytes.
    public mutating func readBytes(maxLength: Int, _ field: String = "bytes") throws(CanonicalDecodingError) -> [UInt8]
    {
        let start = offset
        let length = Int(try read(UInt32.self))
        guard length <= maxLength else {
            throw CanonicalDecodingError(.limitExceeded, at: start, "\(field) is \(length) bytes, limit \(maxLength)")
        }
        return try readRaw(count: length, field)
    }

    /// Exactly `count` bytes with no prefix.
    public mutating func readRaw(count: Int, _ field: String = "bytes") throws(CanonicalDecodingError) -> [UInt8] {
        try require(count, field)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A length-prefixed UTF-8 string of at most `maxLength` bytes.
    public mutating func readString(maxLength: Int, _ field: String = "string") throws(CanonicalDecodingError) -> String
    {
        let start = offset
        let raw = try readBytes(maxLength: maxLength, field)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw CanonicalDecodingError(.invalidUTF8, at: start, "\(field) is not valid UTF-8")
        }
        return text
    }

    /// A nested value.
    public mutating func read<T: CanonicalDecodable>(_: T.Type) throws(CanonicalDecodingError) -> T {
        try T(decoding: &self)
    }

    /// A count-prefixed array of at most `maxCount` elements. Each element takes at least one byte, so the
    /// count is also checked against the bytes that remain before anything is reserved.
    public mutating func readArray<T: CanonicalDecodable>(
        of _: T.Type,
        maxCount: Int,
        _ field: String = "array"
    ) throws(CanonicalDecodingError) -> [T] {
        let start = offset
        let count = Int(try read(UInt32.self))
        guard count <= maxCount else {
            throw CanonicalDecodingError(.limitExceeded, at: start, "\(field) has \(count) elements, limit \(maxCount)")
        }
        guard count <= remaining else {
            throw CanonicalDecodingError(
                .truncated,
                at: start,
                "\(field) claims \(count) elements in \(remaining) bytes"
            )
        }
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try T(decoding: &self)) }
        return values
    }

    /// An optional written with a 0/1 tag.
    public mutating func readOptional<T: CanonicalDecodable>(_: T.Type) throws(CanonicalDecodingError) -> T? {
        let start = offset
        switch try read(UInt8.self) {
        case 0: return nil
        case 1: return try T(decoding: &self)
        case let tag: throw CanonicalDecodingError(.unknownTag, at: start, "optional tag must be 0 or 1, got \(tag)")
        }
    }

    /// Requires that the whole input was consumed: a canonical encoding has no trailing bytes.
    public func finish() throws(CanonicalDecodingError) {
        guard remaining == 0 else {
            throw CanonicalDecodingError(.trailingBytes, at: offset, "\(remaining) bytes after the end of the value")
        }
    }

    /// An error at the current offset, for decoders of composite types.
    public func error(_ code: CanonicalDecodingError.Code, _ reason: String) -> CanonicalDecodingError {
        CanonicalDecodingError(code, at: offset, reason)
    }

    private mutating func readInteger<T: FixedWidthInteger>() throws(CanonicalDecodingError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, "\(T.self)")
        defer { offset += size }
        return bytes.withUnsafeBytes { T(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    private func require(_ count: Int, _ what: String) throws(CanonicalDecodingError) {
        guard count <= remaining else {
            throw CanonicalDecodingError(
                .truncated,
                at: offset,
                "input ends inside \(what): need \(count), have \(remaining)"
            )
        }
    }
}
