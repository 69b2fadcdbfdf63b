import LedgerCrypto

/// A registrar anchors one e-certificate. No personal data: `certificateKey` is the hash of the certificate
/// number and the document digest (so numbers cannot be walked), and the document stays with its owner.
public struct CertificateAnchor: Hashable, Sendable, CanonicalCodable {
    /// What kind of civil-affairs document this is.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case marriage = 1
        case divorce = 2
    }

    public let certificateKey: Digest
    public let documentDigest: Digest
    public let kind: Kind
    /// When the registrar issued it, in seconds since 1970-01-01 UTC.
    public let issuedAt: UInt64

    public init(certificateKey: Digest, documentDigest: Digest, kind: Kind, issuedAt: UInt64) {
        self.certificateKey = certificateKey
        self.documentDigest = documentDigest
        self.kind = kind
        self.issuedAt = issuedAt
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(certificateKey)
        writer.write(documentDigest)
        writer.write(kind.rawValue)
        writer.write(issuedAt)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        certificateKey = try reader.read(Digest.self)
        documentDigest = try reader.read(Digest.self)
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let kind = Kind(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown certificate kind \(raw)")
        }
        self.kind = kind
        issuedAt = try reader.read(UInt64.self)
    }
}
