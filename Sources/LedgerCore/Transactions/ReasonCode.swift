/// Why a certificate's status changed, as a code (`divorce-registered`, `clerical-correction`): 1–64
/// characters of `a-z 0-9 - _ .`. A code, not free text, so no name or other personal detail can be written
/// onto the ledger by accident (`docs/privacy.md`).
public struct ReasonCode: IdentifierText {
    public static let maximumLength = 64
    public static let allowsUpperCase = false
    public static let punctuation = "-_."
    public static let kind = "reason code"

    public let value: String

    public init(validated value: String) {
        self.value = value
    }
}
