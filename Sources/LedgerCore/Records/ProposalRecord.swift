/// A governance proposal in the state: what it does, who approved it, and whether it is still open.
public struct ProposalRecord: Hashable, Sendable, CanonicalCodable {
    public enum Status: UInt8, Sendable {
        case pending = 1
        case executed = 2
        /// Approved but its action could not apply (e.g. the member it updates was removed meanwhile).
        case failed = 3
    }

    public let proposer: OrgID
    public let proposal: GovernanceProposal
    public let createdAtHeight: UInt64
    public var approvals: [OrgID]
    public var status: Status

    public init(
        proposer: OrgID,
        proposal: GovernanceProposal,
        createdAtHeight: UInt64,
        approvals: [OrgID],
        status: Status
    ) {
        self.proposer = proposer
        self.proposal = proposal
        self.createdAtHeight = createdAtHeight
        self.approvals = approvals
        self.status = status
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(proposer)
        writer.write(proposal)
        writer.write(createdAtHeight)
        writer.write(approvals)
        writer.write(status.rawValue)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        proposer = try reader.read(OrgID.self)
        proposal = try reader.read(GovernanceProposal.self)
        createdAtHeight = try reader.read(UInt64.self)
        approvals = try reader.readArray(of: OrgID.self, maxCount: MemberRegistry.maximumMembers, "approvals")
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let status = Status(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown proposal status \(raw)")
        }
        self.status = status
    }
}
