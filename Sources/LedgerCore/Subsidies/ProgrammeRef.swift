/// Which subsidy programme: the member that registered it and its name (`docs/rules.md`, "Subsidies"). A
/// programme lives in its owner's namespace, so no other member can register it first or pay under it
/// unless the owner lists it as a payer.
public struct ProgrammeRef: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public let owner: OrgID
    public let name: ProgrammeID

    public init(owner: OrgID, name: ProgrammeID) {
        self.owner = owner
        self.name = name
    }

    /// `OWNER/NAME`, as the API and `civic` write it; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let owner = OrgID(parts[0]), let name = ProgrammeID(parts[1]) else { return nil }
        self.init(owner: owner, name: name)
    }

    /// `OWNER/NAME` as a person typed it — spaces around the parts dropped, the name lower-cased; nil when it
    /// is still not a programme reference.
    public static func normalising(_ text: String) -> ProgrammeRef? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let owner = OrgID(String(parts[0].trimmingWhitespace)),
            let name = ProgrammeID.normalising(String(parts[1]))
        else { return nil }
        return ProgrammeRef(owner: owner, name: name)
    }

    public var description: String { "\(owner.value)/\(name.value)" }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(owner)
        writer.write(name)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        owner = try reader.read(OrgID.self)
        name = try reader.read(ProgrammeID.self)
    }
}
