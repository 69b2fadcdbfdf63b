/// One named check of a verification and how it went, in words a clerk can read.
public struct VerificationCheck: Hashable, Sendable {
    public let name: String
    public let passed: Bool
    public let detail: String

    public init(_ name: String, passed: Bool, _ detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }
}
