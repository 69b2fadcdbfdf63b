/// An account key's link to its member and its replay counter: the next transaction from this key must
/// carry exactly `nextSequence`.
public struct AccountRecord: Hashable, Sendable, CanonicalCodable {
    public let member: OrgID
    public var nextSequence: UInt64
    /// False once the key was dropped from its member by governance; its transactions are refused.
    public var active: Bool

    public init(member: OrgID, nextSequence: UInt64, active: Bool) {
        self.member = member
        self.nextSequence = nextSequence
        self.active = active
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(member)
        writer.write(nextSequence)
        writer.write(active)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        member = try reader.read(OrgID.self)
        nextSequence = try reader.read(UInt64.self)
        active = try reader.read(Bool.self)
    }
}
