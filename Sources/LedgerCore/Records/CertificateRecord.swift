import LedgerCrypto

/// One change in a certificate's life: who recorded it, when, and why.
public struct CertificateEvent: Hashable, Sendable, CanonicalCodable {
    public let status: CertificateStatus
    public let by: OrgID
    public let height: UInt64
    public let reason: ReasonCode
    public let replacement: CertificateRef?

    public init(status: CertificateStatus, by: OrgID, height: UInt64, reason: ReasonCode, replacement: CertificateRef?)
    {
        self.status = status
        self.by = by
        self.height = height
        self.reason = reason
        self.replacement = replacement
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(status.rawValue)
        writer.write(by)
        writer.write(height)
        writer.write(reason)
        writer.write(replacement)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        status = try CertificateStatus.decode(&reader)
        by = try reader.read(OrgID.self)
        height = try reader.read(UInt64.self)
        reason = try reader.read(ReasonCode.self)
        replacement = try reader.readOptional(CertificateRef.self)
    }
}

/// An anchored certificate: the commitment to its document, its kind and issuer, and its full history (first
/// event: issued, `valid`, by the issuer).
public struct CertificateRecord: Hashable, Sendable, CanonicalCodable {
    /// At most this many events; the last one is kept for a final status (`docs/rules.md`, "Certificates"),
    /// so a certificate can always be revoked or superseded, whatever its history holds.
    public static let maximumEvents = 64

    public let documentCommitment: Digest
    public let kind: CertificateAnchor.Kind
    public let issuer: OrgID
    public var history: [CertificateEvent]

    public init(documentCommitment: Digest, kind: CertificateAnchor.Kind, issuer: OrgID, history: [CertificateEvent]) {
        self.documentCommitment = documentCommitment
        self.kind = kind
        self.issuer = issuer
        self.history = history
    }

    /// The current status: that of the latest event.
    public var status: CertificateStatus { history.last?.status ?? .valid }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(documentCommitment)
        writer.write(kind.rawValue)
        writer.write(issuer)
        writer.write(history)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        documentCommitment = try reader.read(Digest.self)
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let kind = CertificateAnchor.Kind(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown certificate kind \(raw)")
        }
        self.kind = kind
        issuer = try reader.read(OrgID.self)
        history = try reader.readArray(of: CertificateEvent.self, maxCount: Self.maximumEvents, "certificate history")
    }
}
