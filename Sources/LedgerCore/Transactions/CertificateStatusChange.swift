import LedgerCrypto

/// A registrar records that a certificate was revoked, superseded or corrected. Who may record which status
/// on whose certificate is the matrix in `docs/rules.md`, "Certificates": corrections are the issuer's; any
/// registrar may end another's certificate with provenance (a certificate it anchored itself, e.g. the
/// divorce it registered), which is how provinces recognise each other's records.
public struct CertificateStatusChange: Hashable, Sendable, CanonicalCodable {
    public let certificate: CertificateRef
    /// Must not be `valid`: a change records something that happened to the certificate.
    public let newStatus: CertificateStatus
    public let reason: ReasonCode
    /// The certificate that replaces, corrects or ends this one, when there is one; required (and the
    /// changer's own) when the changer is not the issuer.
    public let replacement: CertificateRef?

    public init(
        certificate: CertificateRef,
        newStatus: CertificateStatus,
        reason: ReasonCode,
        replacement: CertificateRef?
    ) {
        self.certificate = certificate
        self.newStatus = newStatus
        self.reason = reason
        self.replacement = replacement
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(certificate)
        writer.write(newStatus.rawValue)
        writer.write(reason)
        writer.write(replacement)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        certificate = try reader.read(CertificateRef.self)
        newStatus = try CertificateStatus.decode(&reader)
        reason = try reader.read(ReasonCode.self)
        replacement = try reader.readOptional(CertificateRef.self)
    }
}
