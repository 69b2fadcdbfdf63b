/// The one check behind every identifier type (chain, organisation, project ids): 1…`maximumLength` ASCII
/// bytes, each a letter (lower-case only unless `upperCase`), a digit, or one of `punctuation`.
enum IdentifierText {
    static func isValid(_ text: String, maximumLength: Int, upperCase: Bool, punctuation: String) -> Bool {
        let allowedPunctuation = Set(punctuation.utf8)
        return !text.isEmpty && text.utf8.count <= maximumLength
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (upperCase && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte))
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || allowedPunctuation.contains(byte)
            }
    }
}
