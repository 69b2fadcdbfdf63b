import CSecp256k1

/// The `secp256k1-sha256` suite: ECDSA over secp256k1 through libsecp256k1, SHA-256 message digests,
/// RFC 6979 deterministic nonces, 64-byte compact `r ‖ s` signatures, and the low-S rule: signing always
/// produces s ≤ n/2 and verification rejects any signature with a high s (so no signature is malleable).
public struct Secp256k1SHA256Suite: CryptoSuite {
    /// The process-wide instance.
    public static let shared = Secp256k1SHA256Suite()

    private let context = Secp256k1Context()

    private init() {}

    public var id: CryptoSuiteID { .secp256k1SHA256 }
    public var hashFunction: any HashFunction { SHA256() }

    public func generatePrivateKey() throws(CryptoError) -> PrivateKey {
        try generateKey(privateKey(scalar:))
    }

    public func privateKey(scalar: [UInt8]) throws(CryptoError) -> PrivateKey {
        guard scalar.count == 32, secp256k1_ec_seckey_verify(context.pointer, scalar) == 1 else {
            throw CryptoError(.invalidPrivateKey, "a secp256k1 private key is a 32-byte scalar in [1, n-1]")
        }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context.pointer, &point, scalar) == 1 else {
            throw CryptoError(.invalidPrivateKey, "secp256k1 could not derive the public key")
        }
        let publicKey = publicKey(point)
        return PrivateKey(suite: id, scalar: scalar, publicKey: publicKey)
    }

    public func publicKey(encoded: [UInt8]) throws(CryptoError) -> PublicKey {
        guard encoded.count == 33 || encoded.count == 65 else {
            throw CryptoError(
                .invalidPublicKey,
                "a secp256k1 public key is 33 bytes (compressed) or 65 bytes (uncompressed), got \(encoded.count)"
            )
        }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context.pointer, &point, encoded, encoded.count) == 1 else {
            throw CryptoError(.invalidPublicKey, "not a point on secp256k1")
        }
        return publicKey(point)
    }

    private func publicKey(_ point: secp256k1_pubkey) -> PublicKey {
        let decoded = withUnsafeBytes(of: point) { Array($0) }
        return PublicKey(suite: id, validatedBytes: serializeCompressed(point), decoded: decoded)
    }

    public func sign(_ message: UnsafeRawBufferPointer, with key: PrivateKey) throws(CryptoError) -> Signature {
        try requireSuite(key.suite, what: "private key")
        let digest = SHA256().hash(message).bytes
        var signature = secp256k1_ecdsa_signature()
        // A nil nonce function selects RFC 6979; libsecp256k1 always returns a low-S signature.
        guard secp256k1_ecdsa_sign(context.pointer, &signature, digest, key.scalar, nil, nil) == 1 else {
            throw CryptoError(.nativeFailure, "secp256k1 signing failed")
        }
        var compact = [UInt8](repeating: 0, count: 64)
        _ = secp256k1_ecdsa_signature_serialize_compact(context.pointer, &compact, &signature)
        return try Signature(bytes: compact)
    }

    public func verify(_ signature: Signature, of message: UnsafeRawBufferPointer, by publicKey: PublicKey) -> Bool {
        guard publicKey.suite == id else { return false }
        let digest = SHA256().hash(message).bytes
        var point = secp256k1_pubkey()
        guard publicKey.decoded.count == MemoryLayout<secp256k1_pubkey>.size else {
            return verify(compact: signature.bytes, digest: digest, publicKey: publicKey.bytes)
        }
        withUnsafeMutableBytes(of: &point) { $0.copyBytes(from: publicKey.decoded) }
        return verify(compact: signature.bytes, digest: digest, point: &point)
    }

    /// Verifies a compact signature over a precomputed 32-byte digest. Rejects r or s out of range,
    /// zero, or a high s (libsecp256k1's verify accepts only normalised signatures).
    func verify(compact: [UInt8], digest: [UInt8], publicKey: [UInt8]) -> Bool {
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context.pointer, &point, publicKey, publicKey.count) == 1 else { return false }
        return verify(compact: compact, digest: digest, point: &point)
    }

    private func verify(compact: [UInt8], digest: [UInt8], point: inout secp256k1_pubkey) -> Bool {
        var parsed = secp256k1_ecdsa_signature()
        guard compact.count == 64, digest.count == 32,
            secp256k1_ecdsa_signature_parse_compact(context.pointer, &parsed, compact) == 1
        else { return false }
        return secp256k1_ecdsa_verify(context.pointer, &parsed, digest, &point) == 1
    }

    private func serializeCompressed(_ point: secp256k1_pubkey) -> [UInt8] {
        var point = point
        var output = [UInt8](repeating: 0, count: 33)
        var length = 33
        _ = secp256k1_ec_pubkey_serialize(context.pointer, &output, &length, &point, UInt32(SECP256K1_EC_COMPRESSED))
        return output
    }
}

/// A libsecp256k1 context, randomised once against side channels and then only read, which the library
/// documents as safe from many threads.
final class Secp256k1Context: @unchecked Sendable {
    let pointer: OpaquePointer

    init() {
        guard let created = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            preconditionFailure("secp256k1_context_create failed")
        }
        let seed = randomScalarBytes()
        _ = secp256k1_context_randomize(created, seed)
        pointer = created
    }

    deinit { secp256k1_context_destroy(pointer) }
}
