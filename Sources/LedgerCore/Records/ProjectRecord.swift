import LedgerCrypto

/// A charity project's running totals. Invariant kept by the rules: `spent ≤ received`.
/// Each donation and disbursement is also kept under its own key (index 0, 1, …).
public struct ProjectRecord: Hashable, Sendable, CanonicalCodable {
    public let charity: OrgID
    public let project: ProjectID
    public var received: UInt64
    public var spent: UInt64
    public var donationCount: UInt32
    public var disbursementCount: UInt32

    public init(charity: OrgID, project: ProjectID) {
        self.charity = charity
        self.project = project
        received = 0
        spent = 0
        donationCount = 0
        disbursementCount = 0
    }

    public var balance: UInt64 { received - spent }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(charity)
        writer.write(project)
        writer.write(received)
        writer.write(spent)
        writer.write(donationCount)
        writer.write(disbursementCount)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        charity = try reader.read(OrgID.self)
        project = try reader.read(ProjectID.self)
        received = try reader.read(UInt64.self)
        let start = reader.offset
        spent = try reader.read(UInt64.self)
        guard spent <= received else {
            throw CanonicalDecodingError(.invalidValue, at: start, "project spent more than it received")
        }
        donationCount = try reader.read(UInt32.self)
        disbursementCount = try reader.read(UInt32.self)
    }
}

/// A donation or disbursement as recorded: the payload, and where it was committed.
public struct FundMovementRecord<Payload: CanonicalCodable & Hashable & Sendable>: Hashable, Sendable, CanonicalCodable
{
    public let payload: Payload
    public let transactionID: Digest
    public let height: UInt64

    public init(payload: Payload, transactionID: Digest, height: UInt64) {
        self.payload = payload
        self.transactionID = transactionID
        self.height = height
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(payload)
        writer.write(transactionID)
        writer.write(height)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        payload = try reader.read(Payload.self)
        transactionID = try reader.read(Digest.self)
        height = try reader.read(UInt64.self)
    }
}

public typealias DonationRecord = FundMovementRecord<Donation>
public typealias DisbursementRecord = FundMovementRecord<Disbursement>
