/// An error from a cryptographic operation or a key file, with a stable code that tests and callers
/// compare against and a human-readable reason that says what exactly was wrong.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Equality of two errors is equality of their codes.
    public enum Code: String, Sendable {
        case unknownSuite = "unknown_suite"
        case suiteMismatch = "suite_mismatch"
        case invalidPrivateKey = "invalid_private_key"
        case invalidPublicKey = "invalid_public_key"
        case invalidSignature = "invalid_signature_encoding"
        case nativeFailure = "native_failure"
        case keyFileUnreadable = "key_file_unreadable"
        case keyFileInsecure = "key_file_insecure"
        case keyFileMalformed = "key_file_malformed"
        case keyFileExists = "key_file_exists"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}

extension CryptoError: Equatable {
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
}
