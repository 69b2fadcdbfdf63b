/// The status of an anchored certificate. `revoked` and `superseded` are final; `corrected` (a corrected
/// document was issued, the record stays current with a note) may still change.
public enum CertificateStatus: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case valid = 1
    /// Annulled: the certificate no longer attests anything.
    case revoked = 2
    /// Replaced by a later registration, e.g. a divorce registered in another province.
    case superseded = 3
    /// A corrected document was issued (see the change's `replacement`).
    case corrected = 4

    public var isFinal: Bool { self == .revoked || self == .superseded }

    public var description: String {
        switch self {
        case .valid: return "valid"
        case .revoked: return "revoked"
        case .superseded: return "superseded"
        case .corrected: return "corrected"
        }
    }

    static func decode(_ reader: inout CanonicalReader) throws(CanonicalDecodingError) -> CertificateStatus {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let status = CertificateStatus(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown certificate status \(raw)")
        }
        return status
    }
}
