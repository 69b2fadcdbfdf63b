/// A member organisation's id: the administrative division code of a department ("440000") or the unified
/// social credit code of a charity ("53100000500021676K"). 1–32 characters of `A-Z a-z 0-9 -`.
public struct OrgID: Hashable, Sendable, Comparable, CanonicalCodable, CustomStringConvertible {
    public static let maximumLength = 32
    public let value: String

    public init?(_ value: String) {
        guard Self.isValid(value) else { return nil }
        self.value = value
    }

    public var description: String { value }

    public static func < (lhs: OrgID, rhs: OrgID) -> Bool { lhs.value < rhs.value }

    public func encode(to writer: inout CanonicalWriter) { writer.write(value) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let text = try reader.readString(maxLength: Self.maximumLength, "organisation id")
        guard Self.isValid(text) else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: start,
                "organisation id '\(text)' is not 1-32 of A-Z a-z 0-9 -"
            )
        }
        value = text
    }

    static func isValid(_ text: String) -> Bool {
        IdentifierText.isValid(text, maximumLength: maximumLength, upperCase: true, punctuation: "-")
    }
}
