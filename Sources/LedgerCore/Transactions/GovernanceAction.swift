/// What a governance proposal changes once members holding more than 2/3 of validator power approve it.
/// Admitting, updating (roles, keys, validator power and node — so also key rotation and validator-set
/// changes) and removing members are the only ways the registry changes after genesis.
public enum GovernanceAction: Hashable, Sendable, CanonicalCodable {
    case admitMember(Member)
    /// Replaces the member's record with this one (same id).
    case updateMember(Member)
    case removeMember(OrgID)

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .admitMember(let member):
            writer.write(UInt8(1))
            writer.write(member)
        case .updateMember(let member):
            writer.write(UInt8(2))
            writer.write(member)
        case .removeMember(let id):
            writer.write(UInt8(3))
            writer.write(id)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let tag = try reader.read(UInt8.self)
        switch tag {
        case 1: self = .admitMember(try reader.read(Member.self))
        case 2: self = .updateMember(try reader.read(Member.self))
        case 3: self = .removeMember(try reader.read(OrgID.self))
        default: throw CanonicalDecodingError(.unknownTag, at: start, "unknown governance action \(tag)")
        }
    }
}
