import LedgerCrypto

/// One change in a certificate's life: who recorded it, when, and why.
public struct CertificateEvent: Hashable, Sendable, CanonicalCodable {
    public let status: CertificateStatus
    public let by: OrgID
    public let height: UInt64
    public let reason: String
    public let replacement: Digest?

    public init(status: CertificateStatus, by: OrgID, height: UInt64, reason: String, replacement: Digest?) {
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
        reason = try reader.readString(maxLength: CertificateStatusChange.maximumReasonLength, "event reason")
        replacement = try reader.readOptional(Digest.self)
    }
}

/// An anchored certificate: its document digest, issuer, and full history (first event: issued, `valid`).
public struct CertificateRecord: Hashable, Sendable, CanonicalCodable {
    public static let maximumEvents = 64

    public let documentDigest: Digest
    public let kind: CertificateAnchor.Kind
    public let issuer: OrgID
    public let issuedAt: UInt64
    public var history: [CertificateEvent]

    public init(
        documentDigest: Digest,
        kind: CertificateAnchor.Kind,
        issuer: OrgID,
        issuedAt: UInt64,
        history: [CertificateEvent]
    ) {
        self.documentDigest = documentDigest
        self.kind = kind
        self.issuer = issuer
        self.issuedAt = issuedAt
        self.history = history
    }

    /// The current status: that of the latest event.
    public var status: CertificateStatus { history.last?.status ?? .valid }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(documentDigest)
        writer.write(kind.rawValue)
        writer.write(issuer)
        writer.write(issuedAt)
        writer.write(history)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        documentDigest = try reader.read(Digest.self)
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let kind = CertificateAnchor.Kind(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown certificate kind \(raw)")
        }
        self.kind = kind
        issuer = try reader.read(OrgID.self)
        issuedAt = try reader.read(UInt64.self)
        history = try reader.readArray(of: CertificateEvent.self, maxCount: Self.maximumEvents, "certificate history")
    }
}
