import COpenSSL

/// A node's TLS identity: a self-signed certificate and its P-256 private key, as PEM. Peers do not trust the
/// certificate's issuer; they pin its key (`keyPin`, registered in genesis or by governance), so a node renews
/// its certificate with the same key and no chain change (`docs/network.md`, "Trust").
public struct TLSIdentity: Sendable, Equatable {
    public let certificatePEM: String
    public let privateKeyPEM: String
    /// SHA-256 of the key's DER SubjectPublicKeyInfo: what the registry holds and peers compare.
    public let keyPin: Digest

    /// An identity read back from its PEM files; the pin is computed from the key.
    public init(certificatePEM: String, privateKeyPEM: String) throws(CryptoError) {
        let keyBytes = Array(privateKeyPEM.utf8)
        var spki: UnsafeMutablePointer<UInt8>?
        var spkiLength = 0
        let ok = civic_private_key_spki(keyBytes, keyBytes.count, &spki, &spkiLength)
        defer { civic_openssl_free(spki) }
        guard ok == 1, let spki else {
            throw CryptoError(.invalidPrivateKey, "the TLS key is not a PEM private key OpenSSL can read")
        }
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        keyPin = Self.pin(subjectPublicKeyInfo: Array(UnsafeBufferPointer(start: spki, count: spkiLength)))
    }

    private init(certificatePEM: String, privateKeyPEM: String, keyPin: Digest) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.keyPin = keyPin
    }

    /// A new P-256 key and a certificate for it naming `commonName`, valid for `validityDays`.
    public static func generate(commonName: String, validityDays: Int32 = 3650) throws(CryptoError) -> TLSIdentity {
        try issue(commonName: commonName, validityDays: validityDays, keyPEM: nil)
    }

    /// A fresh certificate over this identity's key: same pin, so peers keep accepting it.
    public func renewed(commonName: String, validityDays: Int32 = 3650) throws(CryptoError) -> TLSIdentity {
        try Self.issue(commonName: commonName, validityDays: validityDays, keyPEM: privateKeyPEM)
    }

    /// The pin of a DER SubjectPublicKeyInfo, as peers compute it from a presented certificate.
    public static func pin(subjectPublicKeyInfo der: [UInt8]) -> Digest { SHA256().hash(der) }

    private static func issue(
        commonName: String,
        validityDays: Int32,
        keyPEM: String?
    ) throws(CryptoError)
        -> TLSIdentity
    {
        var certificate: UnsafeMutablePointer<UInt8>?
        var key: UnsafeMutablePointer<UInt8>?
        var spki: UnsafeMutablePointer<UInt8>?
        var certificateLength = 0
        var keyLength = 0
        var spkiLength = 0
        let keyBytes = keyPEM.map { Array($0.utf8) }
        let ok = keyBytes.withOptionalBufferPointer { input in
            civic_tls_certificate(
                commonName,
                validityDays,
                input?.baseAddress,
                input?.count ?? 0,
                &certificate,
                &certificateLength,
                &key,
                &keyLength,
                &spki,
                &spkiLength
            )
        }
        defer {
            civic_openssl_free(certificate)
            civic_openssl_free(key)
            civic_openssl_free(spki)
        }
        guard ok == 1, let certificate, let key, let spki else {
            throw CryptoError(
                keyPEM == nil ? .nativeFailure : .invalidPrivateKey,
                keyPEM == nil
                    ? "OpenSSL could not make a TLS key and certificate"
                    : "the TLS key is not a PEM EC private key OpenSSL can read"
            )
        }
        return TLSIdentity(
            certificatePEM: String(
                decoding: UnsafeBufferPointer(start: certificate, count: certificateLength),
                as: UTF8.self
            ),
            privateKeyPEM: String(decoding: UnsafeBufferPointer(start: key, count: keyLength), as: UTF8.self),
            keyPin: pin(subjectPublicKeyInfo: Array(UnsafeBufferPointer(start: spki, count: spkiLength)))
        )
    }
}

extension Optional where Wrapped == [UInt8] {
    fileprivate func withOptionalBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        switch self {
        case .some(let bytes): return bytes.withUnsafeBufferPointer { body($0) }
        case .none: return body(nil)
        }
    }
}
