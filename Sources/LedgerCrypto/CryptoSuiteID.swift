/// The name of a crypto suite, exactly as written in genesis files, key files and on the command line.
public enum CryptoSuiteID: String, Sendable, CaseIterable, CustomStringConvertible {
    /// ECDSA over secp256k1 (libsecp256k1, RFC 6979 nonces, low-S) with SHA-256.
    case secp256k1SHA256 = "secp256k1-sha256"
    /// SM2 signatures (GB/T 32918, default ID `1234567812345678`) with SM3 (GB/T 32905).
    case sm2SM3 = "sm2-sm3"

    /// Parses a suite name, with an error that lists the names that exist.
    public init(named name: String) throws(CryptoError) {
        guard let suite = CryptoSuiteID(rawValue: name) else {
            let known = CryptoSuiteID.allCases.map(\.rawValue).joined(separator: ", ")
            throw CryptoError(.unknownSuite, "unknown crypto suite '\(name)' (known: \(known))")
        }
        self = suite
    }

    /// The implementation of this suite.
    public var suite: any CryptoSuite {
        switch self {
        case .secp256k1SHA256: return Secp256k1SHA256Suite.shared
        case .sm2SM3: return SM2SM3Suite.shared
        }
    }

    public var description: String { rawValue }
}
