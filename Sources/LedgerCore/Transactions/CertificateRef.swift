import LedgerCrypto

/// Which certificate: the member that issued it and its certificate key (`docs/rules.md`, "Certificates").
/// A certificate lives in its issuer's namespace, so no other member can anchor it first, take it over or
/// block it by anchoring the same key.
public struct CertificateRef: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public let issuer: OrgID
    public let key: Digest

    public init(issuer: OrgID, key: Digest) {
        self.issuer = issuer
        self.key = key
    }

    /// The reference a certificate's holder (or anyone shown it) computes from what is printed on it.
    public init(code: VerificationCode, number: String, hash: any HashFunction) {
        self.init(issuer: code.issuer, key: CertificateAnchor.key(number: number, secret: code.secret, hash: hash))
    }

    public var description: String { "\(issuer.value)/\(key.hex)" }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(issuer)
        writer.write(key)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        issuer = try reader.read(OrgID.self)
        key = try reader.read(Digest.self)
    }
}
