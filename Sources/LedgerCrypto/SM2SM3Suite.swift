import COpenSSL

/// The `sm2-sm3` suite: SM2 signatures (GB/T 32918.2) over SM3 with the default distinguishing ID
/// `1234567812345678`, SM3 hashes (GB/T 32905), all through OpenSSL 3's EVP interface.
/// Signatures are 64-byte `r ‖ s`, converted from and to OpenSSL's DER.
public struct SM2SM3Suite: CryptoSuite {
    /// The process-wide instance.
    public static let shared = SM2SM3Suite()

    /// GB/T 32918's default user identity, mixed into Z_A. A signature under any other ID does not verify.
    public static let defaultID: [UInt8] = Array("1234567812345678".utf8)

    private init() {}

    public var id: CryptoSuiteID { .sm2SM3 }
    public var hashFunction: any HashFunction { SM3() }

    public func generatePrivateKey() throws(CryptoError) -> PrivateKey {
        try generateKey(privateKey(scalar:))
    }

    public func privateKey(scalar: [UInt8]) throws(CryptoError) -> PrivateKey {
        let (native, point) = try SM2NativeKey.keyPair(scalar: scalar)
        let publicKey = PublicKey(suite: id, validatedBytes: point)
        return PrivateKey(suite: id, scalar: scalar, publicKey: publicKey, sm2Key: native)
    }

    public func publicKey(encoded: [UInt8]) throws(CryptoError) -> PublicKey {
        _ = try SM2NativeKey.publicKey(point: encoded)
        return PublicKey(suite: id, validatedBytes: encoded)
    }

    public func sign(_ message: UnsafeRawBufferPointer, with key: PrivateKey) throws(CryptoError) -> Signature {
        try requireSuite(key.suite, what: "private key")
        guard let native = key.sm2Key else { throw CryptoError(.invalidPrivateKey, "SM2 key has no native key") }
        var der = [UInt8](repeating: 0, count: 80)
        var length = der.count
        let ok = try withDigestContext(native, signing: true) { context in
            EVP_DigestSign(context, &der, &length, message.baseAddress, message.count) == 1
        }
        guard ok, let compact = DERSignature.decode(Array(der.prefix(length))) else {
            throw CryptoError(.nativeFailure, "SM2 signing failed")
        }
        return try Signature(bytes: compact)
    }

    public func verify(_ signature: Signature, of message: UnsafeRawBufferPointer, by publicKey: PublicKey) -> Bool {
        // try?: a key that is not a valid point has signed nothing.
        guard publicKey.suite == id, let native = try? SM2NativeKey.publicKey(validatedPoint: publicKey.bytes) else {
            return false
        }
        let der = DERSignature.encode(compact: signature.bytes)
        // try?: a native failure verifies nothing (false below).
        let result = try? withDigestContext(native, signing: false) { context in
            EVP_DigestVerify(context, der, der.count, message.baseAddress, message.count) == 1
        }
        return result ?? false
    }

    /// Sets up an SM3 digest-sign or digest-verify context with the default ID and runs `body` with it.
    private func withDigestContext(
        _ key: SM2NativeKey,
        signing: Bool,
        _ body: (OpaquePointer) -> Bool
    ) throws(CryptoError) -> Bool {
        guard let digestContext = EVP_MD_CTX_new() else {
            throw CryptoError(.nativeFailure, "OpenSSL allocation failed")
        }
        defer { EVP_MD_CTX_free(digestContext) }
        guard let keyContext = EVP_PKEY_CTX_new(key.pointer, nil) else {
            throw CryptoError(.nativeFailure, "OpenSSL allocation failed")
        }
        defer { EVP_PKEY_CTX_free(keyContext) }
        let idSet = SM2SM3Suite.defaultID.withUnsafeBytes {
            EVP_PKEY_CTX_set1_id(keyContext, $0.baseAddress, Int32($0.count))
        }
        guard idSet == 1 else { throw CryptoError(.nativeFailure, "OpenSSL refused the SM2 ID") }
        EVP_MD_CTX_set_pkey_ctx(digestContext, keyContext)
        let digest = FetchedMessageDigest.sm3.pointer
        let initialised =
            signing
            ? EVP_DigestSignInit(digestContext, nil, digest, nil, key.pointer)
            : EVP_DigestVerifyInit(digestContext, nil, digest, nil, key.pointer)
        guard initialised == 1 else { throw CryptoError(.nativeFailure, "OpenSSL SM2 initialisation failed") }
        let result = body(digestContext)
        ERR_clear_error()
        return result
    }
}
