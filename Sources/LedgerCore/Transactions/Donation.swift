import LedgerCrypto

/// A charity records a donation received for one of its projects. The donor is not named: `donorCommitment`
/// is a salted hash only the donor can open, to prove later "this one was mine".
public struct Donation: Hashable, Sendable, CanonicalCodable {
    public let projectID: ProjectID
    /// In the smallest currency unit; must be positive.
    public let amount: UInt64
    public let donorCommitment: Digest
    public let receivedAt: UInt64

    public init(projectID: ProjectID, amount: UInt64, donorCommitment: Digest, receivedAt: UInt64) {
        self.projectID = projectID
        self.amount = amount
        self.donorCommitment = donorCommitment
        self.receivedAt = receivedAt
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(projectID)
        writer.write(amount)
        writer.write(donorCommitment)
        writer.write(receivedAt)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        projectID = try reader.read(ProjectID.self)
        amount = try reader.read(UInt64.self)
        donorCommitment = try reader.read(Digest.self)
        receivedAt = try reader.read(UInt64.self)
    }
}
