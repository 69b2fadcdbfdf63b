import LedgerCrypto

/// An issuer anchors a certificate in its own namespace (`docs/rules.md`, "Certificates"): the certificate
/// key and a commitment to the document, both derived from the secret printed on it (`docs/privacy.md`).
/// Neither the number, nor the document digest, nor the date of issue goes on the ledger.
public struct CertificateAnchor: Hashable, Sendable, CanonicalCodable {
    /// What kind of civil-affairs document this is.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case marriage = 1
        case divorce = 2
        /// An official decision about another certificate (an annulment, a court ruling): what a registrar
        /// that did not issue a certificate anchors as the provenance of revoking it.
        case decision = 3
    }

    /// Which certificate: `issuer` must be the sender's member.
    public let certificate: CertificateRef
    public let documentCommitment: Digest
    public let kind: Kind

    public init(certificate: CertificateRef, documentCommitment: Digest, kind: Kind) {
        self.certificate = certificate
        self.documentCommitment = documentCommitment
        self.kind = kind
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(certificate)
        writer.write(documentCommitment)
        writer.write(kind.rawValue)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        certificate = try reader.read(CertificateRef.self)
        documentCommitment = try reader.read(Digest.self)
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let kind = Kind(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown certificate kind \(raw)")
        }
        self.kind = kind
    }
}
