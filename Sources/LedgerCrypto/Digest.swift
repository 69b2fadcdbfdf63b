/// A 256-bit hash value (SHA-256 or SM3: both suites produce 32 bytes).
///
/// Stored inline as four big-endian words, so digests cost no heap allocation, hash and compare fast,
/// and order lexicographically by their bytes.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Length of every digest in bytes.
    public static let byteCount = 32

    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64)

    /// The all-zero digest.
    public static let zero = Digest(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// Creates a digest from exactly 32 bytes; nil for any other length.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == Digest.byteCount else { return nil }
        let array = Array(bytes)
        self = array.withUnsafeBytes { Digest(copying: $0) }
    }

    /// Creates a digest from the first 32 bytes of `buffer`, which must hold at least that many.
    public init(copying buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count >= Digest.byteCount, "digest buffer too short")
        func word(_ index: Int) -> UInt64 {
            UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
        }
        words = (word(0), word(1), word(2), word(3))
    }

    /// Creates a digest from 64 hex characters; nil otherwise.
    public init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// Calls `body` with the 32 bytes of the digest.
    @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var bigEndian = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try Swift.withUnsafeBytes(of: &bigEndian) { try body($0) }
    }

    /// The 32 bytes of the digest.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lower-case hex of the 32 bytes.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }

    /// Bit `index` (0 = most significant bit of the first byte), used to walk a sparse Merkle tree.
    public func bit(_ index: Int) -> Bool {
        precondition(index >= 0 && index < 256, "bit index out of range")
        let word: UInt64
        switch index >> 6 {
        case 0: word = words.0
        case 1: word = words.1
        case 2: word = words.2
        default: word = words.3
        }
        return (word >> UInt64(63 - (index & 63))) & 1 == 1
    }

    /// This digest with every bit from `bits` on cleared: the position of a sparse Merkle tree node.
    public func prefix(bits: Int) -> Digest {
        func mask(_ word: UInt64, _ index: Int) -> UInt64 {
            let keep = bits - index * 64
            if keep >= 64 { return word }
            if keep <= 0 { return 0 }
            return word & ~(UInt64.max >> UInt64(keep))
        }
        return Digest(words: (mask(words.0, 0), mask(words.1, 1), mask(words.2, 2), mask(words.3, 3)))
    }

    public static func == (lhs: Digest, rhs: Digest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        (lhs.words.0, lhs.words.1, lhs.words.2, lhs.words.3) < (rhs.words.0, rhs.words.1, rhs.words.2, rhs.words.3)
    }
}
