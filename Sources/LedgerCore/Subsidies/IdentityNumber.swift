/// A resident identity number (GB 11643-1999), validated and in its one canonical spelling before it becomes
/// a subsidy tag (issue 16, finding 5: `…123x` after `…123X` was a second person). Never written to the
/// ledger: only `SubsidyTag` of it is. Normalising: surrounding and inner spaces dropped, full-width digits
/// and `Ｘ` made ASCII, `x` upper-cased, and a 15-digit number of the first generation converted to its
/// 18-digit form (century `19` inserted, check character computed). Then: 17 digits and a check character,
/// a real birth date (1900 to 2099), and the check character ISO 7064 MOD 11-2 gives.
public struct IdentityNumber: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters: 17 digits and a digit or `X`.
    public let value: String

    /// Why a text is not an identity number.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case length(Int)
        case notDigits
        case birthDate(String)
        case checkCharacter(expected: Character, found: Character)

        public var description: String {
            switch self {
            case .length(let count):
                return "an identity number has 18 characters (or 15 of the first generation), not \(count)"
            case .notDigits: return "an identity number is 17 digits and a check digit or X"
            case .birthDate(let date): return "\(date) is not a birth date"
            case .checkCharacter(let expected, let found):
                return "the check character is \(found); these digits need \(expected) — a digit is mistyped"
            }
        }
    }

    public init(_ text: String) throws(Problem) {
        var characters: [Character] = text.compactMap { character in
            if character.isWhitespace { return nil }
            // Full-width digits U+FF10…U+FF19 and Ｘ/ｘ (U+FF38, U+FF58), as Chinese input methods type them.
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 {
                switch scalar.value {
                case 0xFF10...0xFF19: return Character(Unicode.Scalar(UInt8(scalar.value - 0xFF10) + UInt8(ascii: "0")))
                case 0xFF38, 0xFF58: return "X"
                default: break
                }
            }
            return character == "x" ? "X" : character
        }
        if characters.count == 15 {
            guard characters.allSatisfy(\.isASCIIDigit) else { throw .notDigits }
            characters = Array(characters[0..<6]) + ["1", "9"] + Array(characters[6...])
            characters.append(Self.checkCharacter(characters))
        }
        guard characters.count == 18 else { throw .length(characters.count) }
        guard characters[0..<17].allSatisfy(\.isASCIIDigit), characters[17].isASCIIDigit || characters[17] == "X"
        else { throw .notDigits }
        let birth = String(characters[6..<14])
        guard Self.isBirthDate(birth) else { throw .birthDate(birth) }
        let expected = Self.checkCharacter(Array(characters[0..<17]))
        guard characters[17] == expected else { throw .checkCharacter(expected: expected, found: characters[17]) }
        value = String(characters)
    }

    public var description: String { value }

    /// ISO 7064 MOD 11-2 over the first 17 digits, as GB 11643 specifies.
    static func checkCharacter(_ digits: [Character]) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits.prefix(17), weights).reduce(0) { $0 + ($1.0.wholeNumberValue ?? 0) * $1.1 }
        return Array("10X98765432")[sum % 11]
    }

    /// YYYYMMDD, a real day from 1900 to 2099.
    static func isBirthDate(_ text: String) -> Bool {
        guard let date = Int(text), text.count == 8 else { return false }
        let (year, month, day) = (date / 10_000, date / 100 % 100, date % 100)
        guard (1900...2099).contains(year), (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
