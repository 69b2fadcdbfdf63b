/// One network's choice of hash and signature algorithms (see `docs/crypto.md`).
///
/// Implementations are stateless apart from immutable native contexts, and safe to call from any thread.
/// Signing and verification take the *message*; each suite hashes it the way its standard says
/// (secp256k1: ECDSA over SHA-256(message); SM2: SM3(Z_A ‖ message) with the default distinguishing ID).
public protocol CryptoSuite: Sendable {
    var id: CryptoSuiteID { get }
    var hashFunction: any HashFunction { get }

    /// A fresh private key from the operating system's CSPRNG.
    func generatePrivateKey() throws(CryptoError) -> PrivateKey
    /// Imports a 32-byte secret scalar; refused when it is not a valid scalar for the curve.
    func privateKey(scalar: [UInt8]) throws(CryptoError) -> PrivateKey
    /// Validates and canonicalises an encoded public key (secp256k1 accepts 33- or 65-byte SEC1 and
    /// returns the compressed form; SM2 accepts 65-byte `04 ‖ x ‖ y`).
    func publicKey(encoded: [UInt8]) throws(CryptoError) -> PublicKey
    /// Signs `message`.
    func sign(_ message: UnsafeRawBufferPointer, with key: PrivateKey) throws(CryptoError) -> Signature
    /// True only when `signature` is a valid signature of `message` by `publicKey` under this suite's rules.
    func verify(_ signature: Signature, of message: UnsafeRawBufferPointer, by publicKey: PublicKey) -> Bool
}

extension CryptoSuite {
    /// Signs a byte array.
    public func sign(_ message: [UInt8], with key: PrivateKey) throws(CryptoError) -> Signature {
        // withUnsafeBytes only rethrows untyped errors: carry the typed one out in a Result.
        try message.withUnsafeBytes { buffer in Result { () throws(CryptoError) in try sign(buffer, with: key) } }.get()
    }

    /// Verifies a signature over a byte array.
    public func verify(_ signature: Signature, of message: [UInt8], by publicKey: PublicKey) -> Bool {
        message.withUnsafeBytes { verify(signature, of: $0, by: publicKey) }
    }

    /// Parses a hex-encoded public key.
    public func publicKey(hex: String) throws(CryptoError) -> PublicKey {
        guard let bytes = Hex.decode(hex) else {
            throw CryptoError(.invalidPublicKey, "public key is not valid hex")
        }
        return try publicKey(encoded: bytes)
    }

    func requireSuite(_ other: CryptoSuiteID, what: String) throws(CryptoError) {
        guard other == id else {
            throw CryptoError(.suiteMismatch, "\(what) belongs to suite \(other), not \(id)")
        }
    }
}

/// 32 bytes from the operating system's CSPRNG.
func randomScalarBytes() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: 32)
    for index in stride(from: 0, to: 32, by: 8) {
        let word = generator.next()
        for offset in 0..<8 { bytes[index + offset] = UInt8(truncatingIfNeeded: word >> (8 * offset)) }
    }
    return bytes
}

/// Draws scalars until `make` accepts one. A uniformly random 32-byte string is outside either curve's
/// valid range with probability below 2^-32, so more than a few failures mean the native library is broken:
/// report that instead of looping forever.
func generateKey(_ make: ([UInt8]) throws(CryptoError) -> PrivateKey) throws(CryptoError) -> PrivateKey {
    var lastError = CryptoError(.nativeFailure, "key generation failed")
    for _ in 0..<8 {
        do {
            return try make(randomScalarBytes())
        } catch {
            lastError = error
        }
    }
    throw CryptoError(.nativeFailure, "key generation failed repeatedly: \(lastError.reason)")
}
