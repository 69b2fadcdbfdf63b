/// What a member organisation may do on the ledger (`docs/rules.md` has the full matrix).
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// Runs a validator node and votes on governance.
    case validator
    /// Anchors marriage e-certificates and records status changes.
    case registrar
    /// Records subsidy payment batches.
    case payer
    /// Records donations received and disbursements made.
    case charity
    /// Reads and follows records; submits nothing.
    case auditor

    var bit: UInt8 {
        switch self {
        case .validator: return 1
        case .registrar: return 2
        case .payer: return 4
        case .charity: return 8
        case .auditor: return 16
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.bit < rhs.bit }
}

/// A set of roles, encoded as one byte with a bit per role; unknown bits are refused.
public struct RoleSet: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public private(set) var bits: UInt8

    public init(_ roles: some Sequence<Role>) {
        bits = roles.reduce(0) { $0 | $1.bit }
    }

    public func contains(_ role: Role) -> Bool { bits & role.bit != 0 }
    public var roles: [Role] { Role.allCases.filter(contains) }
    public var isEmpty: Bool { bits == 0 }
    public var description: String { roles.map(\.rawValue).joined(separator: ",") }

    public mutating func insert(_ role: Role) { bits |= role.bit }

    public func encode(to writer: inout CanonicalWriter) { writer.write(bits) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        bits = try reader.read(UInt8.self)
        guard bits & ~0x1f == 0 else {
            throw CanonicalDecodingError(.invalidValue, at: start, "unknown role bits \(bits)")
        }
    }
}
