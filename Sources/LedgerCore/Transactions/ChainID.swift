/// The name of one network, 1–64 characters of `a-z 0-9 . _ -`. It is inside every signed byte string,
/// so a signature made for one network is worthless on another.
public struct ChainID: IdentifierText {
    public static let maximumLength = 64
    public static let allowsUpperCase = false
    public static let punctuation = "._-"
    public static let kind = "chain id"

    public let value: String

    public init(validated value: String) {
        self.value = value
    }
}
