import LedgerCrypto

/// A payer records one batch of subsidy payments under a registered programme (`docs/rules.md`, "Subsidies"):
/// the period, totals, the Merkle root of its payment records, and one `SubsidyTag` per beneficiary, so a
/// second payment to the same person for the same programme and period is visible without naming them.
public struct SubsidyBatch: Hashable, Sendable, CanonicalCodable {
    public static let maximumTags = 10_000

    public let programme: ProgrammeRef
    public let period: SubsidyPeriod
    public let recordCount: UInt32
    /// Total paid, in the smallest currency unit.
    public let totalAmount: UInt64
    public let recordsRoot: Digest
    public let beneficiaryTags: [Digest]

    public init(
        programme: ProgrammeRef,
        period: SubsidyPeriod,
        recordCount: UInt32,
        totalAmount: UInt64,
        recordsRoot: Digest,
        beneficiaryTags: [Digest]
    ) {
        self.programme = programme
        self.period = period
        self.recordCount = recordCount
        self.totalAmount = totalAmount
        self.recordsRoot = recordsRoot
        self.beneficiaryTags = beneficiaryTags
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(programme)
        writer.write(period)
        writer.write(recordCount)
        writer.write(totalAmount)
        writer.write(recordsRoot)
        writer.write(beneficiaryTags)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        programme = try reader.read(ProgrammeRef.self)
        period = try reader.read(SubsidyPeriod.self)
        recordCount = try reader.read(UInt32.self)
        totalAmount = try reader.read(UInt64.self)
        recordsRoot = try reader.read(Digest.self)
        beneficiaryTags = try reader.readArray(of: Digest.self, maxCount: Self.maximumTags, "beneficiary tags")
    }
}
