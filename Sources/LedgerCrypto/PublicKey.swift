/// A validated public key of one suite, in its canonical encoding:
/// secp256k1 — 33-byte compressed SEC1; SM2 — 65-byte uncompressed `04 ‖ x ‖ y`.
///
/// Only a suite creates public keys (`CryptoSuite.publicKey(encoded:)`), so holding one means the point is
/// on the curve. Equal keys have equal `suite` and `bytes`.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    public let suite: CryptoSuiteID
    /// The canonical encoding described above.
    public let bytes: [UInt8]
    /// The suite's decoded form of the point, kept so verification need not decode it again (secp256k1:
    /// libsecp256k1's 64-byte `secp256k1_pubkey`, whose decoding from the compressed form takes a square
    /// root — about a tenth of a verification); empty when the suite keeps none.
    let decoded: [UInt8]

    init(suite: CryptoSuiteID, validatedBytes: [UInt8], decoded: [UInt8] = []) {
        self.suite = suite
        self.bytes = validatedBytes
        self.decoded = decoded
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.suite == rhs.suite && lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(suite)
        hasher.combine(bytes)
    }

    /// Lower-case hex of the canonical encoding.
    public var hex: String { Hex.encode(bytes) }

    /// The account address: the first 20 bytes of the suite hash of the encoded key, as 40 hex characters.
    public var address: String { Hex.encode(suite.suite.hashFunction.hash(bytes).bytes.prefix(20)) }

    public var description: String { hex }
}
