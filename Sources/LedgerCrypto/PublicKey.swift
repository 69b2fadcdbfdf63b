/// A validated public key of one suite, in its canonical encoding:
/// secp256k1 — 33-byte compressed SEC1; SM2 — 65-byte uncompressed `04 ‖ x ‖ y`.
///
/// Only a suite creates public keys (`CryptoSuite.publicKey(encoded:)`), so holding one means the point is
/// on the curve.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    public let suite: CryptoSuiteID
    /// The canonical encoding described above.
    public let bytes: [UInt8]

    init(suite: CryptoSuiteID, validatedBytes: [UInt8]) {
        self.suite = suite
        self.bytes = validatedBytes
    }

    /// Lower-case hex of the canonical encoding.
    public var hex: String { Hex.encode(bytes) }

    /// The account address: the first 20 bytes of the suite hash of the encoded key, as 40 hex characters.
    public var address: String { Hex.encode(suite.suite.hashFunction.hash(bytes).bytes.prefix(20)) }

    public var description: String { hex }
}
