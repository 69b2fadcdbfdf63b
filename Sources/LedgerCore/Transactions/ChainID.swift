/// The name of one network, 1–64 characters of `a-z 0-9 . _ -`. It is inside every signed byte string,
/// so a signature made for one network is worthless on another.
public struct ChainID: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public static let maximumLength = 64
    public let value: String

    /// Validates a chain id; nil when it is empty, too long, or has a character outside the allowed set.
    public init?(_ value: String) {
        guard Self.isValid(value) else { return nil }
        self.value = value
    }

    public var description: String { value }

    public func encode(to writer: inout CanonicalWriter) { writer.write(value) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let text = try reader.readString(maxLength: Self.maximumLength, "chain id")
        guard Self.isValid(text) else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: start,
                "chain id '\(text)' has a character outside a-z 0-9 . _ -"
            )
        }
        value = text
    }

    private static func isValid(_ text: String) -> Bool {
        IdentifierText.isValid(text, maximumLength: maximumLength, upperCase: false, punctuation: "._-")
    }
}
