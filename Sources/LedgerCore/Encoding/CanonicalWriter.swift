import LedgerCrypto

/// Builds the one canonical byte encoding of a value (`docs/encoding.md`):
/// fixed-width big-endian integers, `UInt32` length prefixes for byte strings, strings and arrays,
/// a 0/1 tag for optionals and booleans, a `UInt8` tag for enum cases, fields in declared order, no maps.
public struct CanonicalWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }
    public mutating func write(_ value: UInt16) { appendBigEndian(value) }
    public mutating func write(_ value: UInt32) { appendBigEndian(value) }
    public mutating func write(_ value: UInt64) { appendBigEndian(value) }
    public mutating func write(_ value: Int64) { appendBigEndian(UInt64(bitPattern: value)) }
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// A 32-byte digest, written without a length prefix.
    public mutating func write(_ digest: Digest) {
        digest.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// A byte string with a `UInt32` length prefix.
    public mutating func write(bytes value: some Collection<UInt8>) {
        precondition(value.count <= Int(UInt32.max), "byte string longer than the format allows")
        write(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    /// A UTF-8 string with a `UInt32` length prefix.
    public mutating func write(_ value: String) {
        write(bytes: value.utf8)
    }

    /// Bytes with no prefix: for fixed-size fields whose length the type implies.
    public mutating func write(raw value: some Sequence<UInt8>) {
        bytes.append(contentsOf: value)
    }

    /// A nested value.
    public mutating func write(_ value: some CanonicalEncodable) {
        value.encode(to: &self)
    }

    /// An array with a `UInt32` count prefix.
    public mutating func write<Element: CanonicalEncodable>(_ values: [Element]) {
        precondition(values.count <= Int(UInt32.max), "array longer than the format allows")
        write(UInt32(values.count))
        for value in values { value.encode(to: &self) }
    }

    /// An optional: tag 0 for none, tag 1 followed by the value.
    public mutating func write<Wrapped: CanonicalEncodable>(_ value: Wrapped?) {
        if let value {
            write(UInt8(1))
            value.encode(to: &self)
        } else {
            write(UInt8(0))
        }
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
