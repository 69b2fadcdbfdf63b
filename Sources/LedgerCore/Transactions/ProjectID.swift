/// A charity's project name, unique within that charity: 1–64 characters of `a-z A-Z 0-9 . _ -`.
public struct ProjectID: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public static let maximumLength = 64
    public let value: String

    public init?(_ value: String) {
        guard Self.isValid(value) else { return nil }
        self.value = value
    }

    public var description: String { value }

    public func encode(to writer: inout CanonicalWriter) { writer.write(value) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let text = try reader.readString(maxLength: Self.maximumLength, "project id")
        guard Self.isValid(text) else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: start,
                "project id '\(text)' is not 1-64 of a-z A-Z 0-9 . _ -"
            )
        }
        value = text
    }

    static func isValid(_ text: String) -> Bool {
        IdentifierText.isValid(text, maximumLength: maximumLength, upperCase: true, punctuation: "._-")
    }
}
