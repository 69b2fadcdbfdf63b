import LedgerCrypto

/// The secret an issuer draws for each certificate and prints on it (`docs/privacy.md`): 16 random bytes.
/// The certificate's key and its document commitment are derived from it, so without the document in hand
/// nothing public links a ledger record to a certificate number, a document or a person.
public struct CertificateSecret: Hashable, Sendable {
    public static let byteCount = 16

    public let bytes: [UInt8]

    /// Nil unless exactly `byteCount` bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// A fresh secret from `generator`, which must be cryptographically secure (the system's, outside tests).
    public static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> CertificateSecret {
        CertificateSecret(unchecked: (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

/// What a certificate carries for verifiers besides its number: `ISSUER-SECRET`, the issuing member's id and
/// the secret as 32 hex digits (e.g. `440000-3f9a0c…`). Case and surrounding spaces do not matter.
public struct VerificationCode: Hashable, Sendable, CustomStringConvertible {
    public let issuer: OrgID
    public let secret: CertificateSecret

    public init(issuer: OrgID, secret: CertificateSecret) {
        self.issuer = issuer
        self.secret = secret
    }

    /// Parses the printed form; nil when it is not one. The issuer is everything before the last `-` (member
    /// ids may contain `-`; the secret never does).
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace
        guard let dash = trimmed.lastIndex(of: "-"),
            let issuer = OrgID(String(trimmed[..<dash])),
            let bytes = Hex.decode(trimmed[trimmed.index(after: dash)...]),
            let secret = CertificateSecret(bytes: bytes)
        else { return nil }
        self.init(issuer: issuer, secret: secret)
    }

    public var description: String { "\(issuer.value)-\(Hex.encode(secret.bytes))" }
}
