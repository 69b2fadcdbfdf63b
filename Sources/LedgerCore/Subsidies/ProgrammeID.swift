/// A subsidy programme's name within its owner's namespace (`dibao`, `rural-pension`): 1–32 characters of
/// `a-z 0-9 -`. Lower case only and no other spelling, so `Dibao` cannot be a second programme beside
/// `dibao` (issue 16, finding 5): clients normalise what people type (`civic`), the ledger refuses the rest.
public struct ProgrammeID: IdentifierText {
    public static let maximumLength = 32
    public static let allowsUpperCase = false
    public static let punctuation = "-"
    public static let kind = "programme id"

    public let value: String

    public init(validated value: String) {
        self.value = value
    }

    /// What a person typed, trimmed and lower-cased; nil when even that is not a programme id.
    public static func normalising(_ text: String) -> ProgrammeID? {
        ProgrammeID(String(text.trimmingWhitespace).lowercased())
    }
}
