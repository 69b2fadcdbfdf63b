/// Why a byte string is not a canonical encoding of the expected type. Decoders throw only this.
public struct CanonicalDecodingError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; two errors are equal when their codes are.
    public enum Code: String, Sendable {
        /// The input ended before the value did.
        case truncated
        /// Bytes were left after a complete top-level value.
        case trailingBytes = "trailing_bytes"
        /// A length or count is above the limit for that field or for the whole input.
        case limitExceeded = "limit_exceeded"
        /// A field holds a value its type does not allow (a Bool other than 0/1, a bad public key, …).
        case invalidValue = "invalid_value"
        /// An enum or optional tag is unknown.
        case unknownTag = "unknown_tag"
        /// A string field is not valid UTF-8.
        case invalidUTF8 = "invalid_utf8"
        /// The format version is not one this code reads.
        case unsupportedVersion = "unsupported_version"
    }

    public let code: Code
    /// Byte offset in the input where the problem was found.
    public let offset: Int
    /// What was being read and what was wrong, for people.
    public let reason: String

    public init(_ code: Code, at offset: Int, _ reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) (at byte \(offset))" }
}

extension CanonicalDecodingError: Equatable {
    public static func == (lhs: CanonicalDecodingError, rhs: CanonicalDecodingError) -> Bool { lhs.code == rhs.code }
}
