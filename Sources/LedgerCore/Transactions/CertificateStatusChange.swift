import LedgerCrypto

/// Any registrar records a status change on any certificate (cross-province mutual recognition): the
/// certificate's history keeps who changed what, when.
public struct CertificateStatusChange: Hashable, Sendable, CanonicalCodable {
    public static let maximumReasonLength = 64

    public let certificateKey: Digest
    /// Must not be `valid`: a change records something that happened to the certificate.
    public let newStatus: CertificateStatus
    /// A short non-personal reason code, e.g. `divorce-registered`, `clerical-correction`.
    public let reason: String
    /// The certificate key of the superseding or corrected document, when there is one.
    public let replacement: Digest?

    public init(certificateKey: Digest, newStatus: CertificateStatus, reason: String, replacement: Digest?) {
        self.certificateKey = certificateKey
        self.newStatus = newStatus
        self.reason = reason
        self.replacement = replacement
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(certificateKey)
        writer.write(newStatus.rawValue)
        writer.write(reason)
        writer.write(replacement)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        certificateKey = try reader.read(Digest.self)
        newStatus = try CertificateStatus.decode(&reader)
        reason = try reader.readString(maxLength: Self.maximumReasonLength, "status change reason")
        replacement = try reader.readOptional(Digest.self)
    }
}
