/// Registers a subsidy programme in the sender's namespace, or — sent again by its owner — replaces the list
/// of other members that may pay under it (`docs/rules.md`, "Subsidies"). The owner always may. The kind of
/// period it pays by is fixed when it is registered.
public struct SubsidyProgramme: Hashable, Sendable, CanonicalCodable {
    public static let maximumPayers = 64

    public let name: ProgrammeID
    /// The one kind of period the programme pays by; fixed at registration.
    public let periods: SubsidyPeriod.Kind
    /// Members besides the owner that may record batches under the programme: each a current member with
    /// the `payer` role, listed once.
    public let payers: [OrgID]

    public init(name: ProgrammeID, periods: SubsidyPeriod.Kind, payers: [OrgID]) {
        self.name = name
        self.periods = periods
        self.payers = payers
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(name)
        writer.write(periods.rawValue)
        writer.write(payers)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        name = try reader.read(ProgrammeID.self)
        periods = try SubsidyPeriod.Kind(decoding: &reader)
        payers = try reader.readArray(of: OrgID.self, maxCount: Self.maximumPayers, "payers")
    }
}

extension SubsidyPeriod.Kind {
    init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let kind = Self(rawValue: raw) else {
            throw CanonicalDecodingError(
                .unknownTag,
                at: start,
                "period kind must be 1 (year), 2 (quarter) or 3 (month)"
            )
        }
        self = kind
    }
}
