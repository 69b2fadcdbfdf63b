/// A 64-byte signature `r ‖ s` (two 32-byte big-endian integers) of either suite.
///
/// secp256k1 signatures are additionally low-S (s ≤ n/2); verification rejects any other.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 64
    public let bytes: [UInt8]

    /// Wraps 64 bytes; any other length is refused.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == Signature.byteCount else {
            throw CryptoError(.invalidSignature, "a signature is 64 bytes (r ‖ s), got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// Parses 128 hex characters.
    public init(hex: String) throws(CryptoError) {
        guard let bytes = Hex.decode(hex) else {
            throw CryptoError(.invalidSignature, "signature is not valid hex")
        }
        try self.init(bytes: bytes)
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}
