/// A member organisation's id: the administrative division code of a department ("440000") or the unified
/// social credit code of a charity ("53100000500021676K"). 1–32 characters of `A-Z a-z 0-9 -`.
public struct OrgID: IdentifierText, Comparable {
    public static let maximumLength = 32
    public static let allowsUpperCase = true
    public static let punctuation = "-"
    public static let kind = "organisation id"

    public let value: String

    public init(validated value: String) {
        self.value = value
    }

    public static func < (lhs: OrgID, rhs: OrgID) -> Bool { lhs.value < rhs.value }
}
