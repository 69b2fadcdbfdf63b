/// The period a subsidy batch pays for, in one canonical spelling (issue 16, finding 5): a year `2026`, a
/// quarter `2026-Q3` or a month `2026-07`, years 2000–2999. Decoding refuses any other spelling, so one month
/// cannot be paid twice as `2026-7` and `2026-07`.
public struct SubsidyPeriod: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// How long a period is. A programme pays by one kind only (`SubsidyProgramme.periods`): a month and the
    /// quarter holding it overlap, and a person paid for both would be paid twice unseen (issue 16 review).
    public enum Kind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
        case year = 1
        case quarter = 2
        case month = 3

        public var description: String {
            switch self {
            case .year: return "year"
            case .quarter: return "quarter"
            case .month: return "month"
            }
        }
    }

    public let value: String

    /// Year, quarter or month, from the canonical spelling.
    public var kind: Kind { value.count == 4 ? .year : value.contains("Q") ? .quarter : .month }

    /// A period already in canonical form; nil otherwise.
    public init?(_ text: String) {
        guard Self.isCanonical(text) else { return nil }
        value = text
    }

    /// What a person typed — `2026-7`, `2026/07`, `2026q3`, ` 2026-Q3 ` — in canonical form; nil when it names
    /// no year, quarter or month.
    public static func normalising(_ text: String) -> SubsidyPeriod? {
        let typed = String(text.trimmingWhitespace).uppercased()
        let year = typed.prefix(4)
        var rest = typed.dropFirst(4)
        if rest.first == "-" || rest.first == "/" { rest = rest.dropFirst() }
        if rest.isEmpty { return SubsidyPeriod(String(year)) }
        let quarter = rest.first == "Q"
        let number = quarter ? rest.dropFirst() : rest
        guard (1...2).contains(number.count), number.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(number)
        else { return nil }
        return SubsidyPeriod(quarter ? "\(year)-Q\(value)" : "\(year)-\(value < 10 ? "0" : "")\(value)")
    }

    static func isCanonical(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count,
                bytes[range].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard let year = digits(0..<4), (2000...2999).contains(year) else { return false }
        switch bytes.count {
        case 4: return true
        case 7 where bytes[4] == UInt8(ascii: "-"):
            if bytes[5] == UInt8(ascii: "Q") { return digits(6..<7).map { (1...4).contains($0) } ?? false }
            return digits(5..<7).map { (1...12).contains($0) } ?? false
        default: return false
        }
    }

    public var description: String { value }

    public func encode(to writer: inout CanonicalWriter) { writer.write(value) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let text = try reader.readString(maxLength: 7, "period")
        guard Self.isCanonical(text) else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: start,
                "period '\(text)' is not a year (2026), quarter (2026-Q3) or month (2026-07)"
            )
        }
        value = text
    }
}
