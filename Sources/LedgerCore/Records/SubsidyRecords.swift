import LedgerCrypto

/// The first payment recorded for one beneficiary tag in one programme and period.
public struct SubsidyTagRecord: Hashable, Sendable, CanonicalCodable {
    public let payer: OrgID
    public let batch: Digest
    public let height: UInt64

    public init(payer: OrgID, batch: Digest, height: UInt64) {
        self.payer = payer
        self.batch = batch
        self.height = height
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(payer)
        writer.write(batch)
        writer.write(height)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        payer = try reader.read(OrgID.self)
        batch = try reader.read(Digest.self)
        height = try reader.read(UInt64.self)
    }
}

/// A beneficiary tag paid twice for the same programme and period: the first payment, and the batch that
/// repeated it (recorded when the genesis rule is `flag`; with `refuse` the second batch is refused).
public struct SubsidyConflict: Hashable, Sendable, CanonicalCodable {
    public let tag: Digest
    public let first: SubsidyTagRecord
    public let second: SubsidyTagRecord

    public init(tag: Digest, first: SubsidyTagRecord, second: SubsidyTagRecord) {
        self.tag = tag
        self.first = first
        self.second = second
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(tag)
        writer.write(first)
        writer.write(second)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        tag = try reader.read(Digest.self)
        first = try reader.read(SubsidyTagRecord.self)
        second = try reader.read(SubsidyTagRecord.self)
    }
}

/// All flagged conflicts of one programme and period, in the order they were found.
public struct SubsidyConflictList: Hashable, Sendable, CanonicalCodable {
    public static let maximumConflicts = 1_000_000
    public var conflicts: [SubsidyConflict]

    public init(conflicts: [SubsidyConflict]) {
        self.conflicts = conflicts
    }

    public func encode(to writer: inout CanonicalWriter) { writer.write(conflicts) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        conflicts = try reader.readArray(of: SubsidyConflict.self, maxCount: Self.maximumConflicts, "conflicts")
    }
}

/// A recorded subsidy batch, with how many of its tags were flagged as duplicates.
public struct SubsidyBatchRecord: Hashable, Sendable, CanonicalCodable {
    public let payer: OrgID
    public let batch: SubsidyBatch
    public let height: UInt64
    public let flaggedTags: UInt32

    public init(payer: OrgID, batch: SubsidyBatch, height: UInt64, flaggedTags: UInt32) {
        self.payer = payer
        self.batch = batch
        self.height = height
        self.flaggedTags = flaggedTags
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(payer)
        writer.write(batch)
        writer.write(height)
        writer.write(flaggedTags)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        payer = try reader.read(OrgID.self)
        batch = try reader.read(SubsidyBatch.self)
        height = try reader.read(UInt64.self)
        flaggedTags = try reader.read(UInt32.self)
    }
}

/// A registered subsidy programme: who owns it, the kind of period it pays by, who else may pay under it,
/// and when that was last set.
public struct ProgrammeRecord: Hashable, Sendable, CanonicalCodable {
    public let programme: ProgrammeRef
    public let periods: SubsidyPeriod.Kind
    public let payers: [OrgID]
    public let registeredAt: UInt64
    public let changedAt: UInt64

    public init(
        programme: ProgrammeRef,
        periods: SubsidyPeriod.Kind,
        payers: [OrgID],
        registeredAt: UInt64,
        changedAt: UInt64
    ) {
        self.programme = programme
        self.periods = periods
        self.payers = payers
        self.registeredAt = registeredAt
        self.changedAt = changedAt
    }

    /// True when `member` may record batches under the programme: its owner, or a listed payer.
    public func mayPay(_ member: OrgID) -> Bool { member == programme.owner || payers.contains(member) }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(programme)
        writer.write(periods.rawValue)
        writer.write(payers)
        writer.write(registeredAt)
        writer.write(changedAt)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        programme = try reader.read(ProgrammeRef.self)
        periods = try SubsidyPeriod.Kind(decoding: &reader)
        payers = try reader.readArray(of: OrgID.self, maxCount: SubsidyProgramme.maximumPayers, "payers")
        registeredAt = try reader.read(UInt64.self)
        changedAt = try reader.read(UInt64.self)
    }
}
