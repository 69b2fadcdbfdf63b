/// A member as the state holds it: its current registration, whether it was removed, and since when.
public struct MemberRecord: Hashable, Sendable, CanonicalCodable {
    public var member: Member
    public var removed: Bool
    /// Height of the last change (0 for genesis).
    public var changedAtHeight: UInt64

    public init(member: Member, removed: Bool, changedAtHeight: UInt64) {
        self.member = member
        self.removed = removed
        self.changedAtHeight = changedAtHeight
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(member)
        writer.write(removed)
        writer.write(changedAtHeight)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        member = try reader.read(Member.self)
        removed = try reader.read(Bool.self)
        changedAtHeight = try reader.read(UInt64.self)
    }
}

/// The ids of every member ever admitted, in admission order: the index that lets the validator set and the
/// member list be read from the state tree, whose keys are hashes and cannot be walked.
public struct MemberRegistry: Hashable, Sendable, CanonicalCodable {
    public static let maximumMembers = 10_000
    public var members: [OrgID]

    public init(members: [OrgID]) {
        self.members = members
    }

    public func encode(to writer: inout CanonicalWriter) { writer.write(members) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        members = try reader.readArray(of: OrgID.self, maxCount: Self.maximumMembers, "member registry")
    }
}
