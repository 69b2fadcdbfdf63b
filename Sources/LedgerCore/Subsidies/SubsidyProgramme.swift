/// Registers a subsidy programme in the sender's namespace, or — sent again by its owner — replaces the list
/// of other members that may pay under it (`docs/rules.md`, "Subsidies"). The owner always may.
public struct SubsidyProgramme: Hashable, Sendable, CanonicalCodable {
    public static let maximumPayers = 64

    public let name: ProgrammeID
    /// Members besides the owner that may record batches under the programme: each a current member with
    /// the `payer` role, listed once.
    public let payers: [OrgID]

    public init(name: ProgrammeID, payers: [OrgID]) {
        self.name = name
        self.payers = payers
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(name)
        writer.write(payers)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        name = try reader.read(ProgrammeID.self)
        payers = try reader.readArray(of: OrgID.self, maxCount: Self.maximumPayers, "payers")
    }
}
