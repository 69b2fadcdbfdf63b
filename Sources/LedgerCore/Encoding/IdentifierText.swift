/// A short ASCII name with fixed rules (chain, organisation and project ids): 1…`maximumLength` bytes, each a
/// letter (lower-case only unless `allowsUpperCase`), a digit, or one of `punctuation`. Conforming types get
/// validation, the canonical encoding (a length-prefixed string) and decoding that refuses invalid names.
public protocol IdentifierText: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    static var maximumLength: Int { get }
    static var allowsUpperCase: Bool { get }
    static var punctuation: String { get }
    /// What the identifier is called in error messages ("chain id").
    static var kind: String { get }

    var value: String { get }
    /// Wraps a value already checked with `isValid`.
    init(validated value: String)
}

extension IdentifierText {
    /// Validates `value`; nil when it breaks the rules.
    public init?(_ value: String) {
        guard Self.isValid(value) else { return nil }
        self.init(validated: value)
    }

    public static func isValid(_ text: String) -> Bool {
        let allowedPunctuation = Set(punctuation.utf8)
        return !text.isEmpty && text.utf8.count <= maximumLength
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (allowsUpperCase && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte))
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || allowedPunctuation.contains(byte)
            }
    }

    /// The rules in words, for error messages.
    public static var rules: String {
        "1-\(maximumLength) characters of a-z\(allowsUpperCase ? " A-Z" : "") 0-9 \(punctuation.map(String.init).joined(separator: " "))"
    }

    public var description: String { value }

    public func encode(to writer: inout CanonicalWriter) { writer.write(value) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let text = try reader.readString(maxLength: Self.maximumLength, Self.kind)
        guard Self.isValid(text) else {
            throw CanonicalDecodingError(.invalidValue, at: start, "\(Self.kind) '\(text)' is not \(Self.rules)")
        }
        self.init(validated: text)
    }
}
