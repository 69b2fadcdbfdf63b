import LedgerCrypto

/// A charity records money paid out of one of its projects. Refused when it would take the project's total
/// spent above its total received.
public struct Disbursement: Hashable, Sendable, CanonicalCodable {
    public static let maximumPurposeLength = 128

    public let projectID: ProjectID
    public let amount: UInt64
    /// A salted hash identifying the recipient off-ledger.
    public let recipientCommitment: Digest
    /// A non-personal description ("school meals, November").
    public let purpose: String
    public let paidAt: UInt64

    public init(projectID: ProjectID, amount: UInt64, recipientCommitment: Digest, purpose: String, paidAt: UInt64) {
        self.projectID = projectID
        self.amount = amount
        self.recipientCommitment = recipientCommitment
        self.purpose = purpose
        self.paidAt = paidAt
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(projectID)
        writer.write(amount)
        writer.write(recipientCommitment)
        writer.write(purpose)
        writer.write(paidAt)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        projectID = try reader.read(ProjectID.self)
        amount = try reader.read(UInt64.self)
        recipientCommitment = try reader.read(Digest.self)
        purpose = try reader.readString(maxLength: Self.maximumPurposeLength, "disbursement purpose")
        paidAt = try reader.read(UInt64.self)
    }
}
