/// A private signing key of one suite. The secret scalar is 32 big-endian bytes for both suites.
///
/// For `sm2-sm3` the key also carries its prepared OpenSSL key object, so signing does not rebuild it.
public struct PrivateKey: Sendable {
    public let suite: CryptoSuiteID
    public let publicKey: PublicKey
    /// The secret scalar; it leaves this module only through a key file.
    let scalar: [UInt8]
    let sm2Key: SM2NativeKey?

    init(suite: CryptoSuiteID, scalar: [UInt8], publicKey: PublicKey, sm2Key: SM2NativeKey? = nil) {
        self.suite = suite
        self.scalar = scalar
        self.publicKey = publicKey
        self.sm2Key = sm2Key
    }

    /// The secret scalar as hex, for writing a key file.
    var scalarHex: String { Hex.encode(scalar) }
}
