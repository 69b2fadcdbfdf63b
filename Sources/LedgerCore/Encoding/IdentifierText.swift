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

    public static func isValid(_ text: String) -> Bool { isValid(utf8: Array(text.utf8)) }

    /// The rules applied to bytes: every one is ASCII, so valid bytes are valid UTF-8 as they stand. Decoding
    /// checks the bytes before making a string of them — this runs for the chain id of every transaction read.
    static func isValid(utf8 bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.count <= maximumLength
            && bytes.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (allowsUpperCase && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte))
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || punctuation.utf8.contains(byte)
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
        let bytes = try reader.readBytes(maxLength: Self.maximumLength, Self.kind)
        guard Self.isValid(utf8: bytes) else {
            let shown = String(decoding: bytes, as: UTF8.self)
            throw CanonicalDecodingError(.invalidValue, at: start, "\(Self.kind) '\(shown)' is not \(Self.rules)")
        }
        self.init(validated: String(decoding: bytes, as: UTF8.self))
    }
}
