/// A charity's project name, unique within that charity: 1–64 characters of `a-z A-Z 0-9 . _ -`.
public struct ProjectID: IdentifierText {
    public static let maximumLength = 64
    public static let allowsUpperCase = true
    public static let punctuation = "._-"
    public static let kind = "project id"

    public let value: String

    public init(validated value: String) {
        self.value = value
    }
}
