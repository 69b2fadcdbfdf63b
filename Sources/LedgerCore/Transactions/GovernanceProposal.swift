import LedgerCrypto

/// A validator member proposes a change to the member registry. The proposal's id is its transaction id;
/// proposing counts as the proposer's approval. It lapses after `expiresAtHeight`.
public struct GovernanceProposal: Hashable, Sendable, CanonicalCodable {
    public let action: GovernanceAction
    public let expiresAtHeight: UInt64

    public init(action: GovernanceAction, expiresAtHeight: UInt64) {
        self.action = action
        self.expiresAtHeight = expiresAtHeight
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(action)
        writer.write(expiresAtHeight)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        action = try reader.read(GovernanceAction.self)
        expiresAtHeight = try reader.read(UInt64.self)
    }
}

/// A validator member approves a pending proposal.
public struct GovernanceApproval: Hashable, Sendable, CanonicalCodable {
    public let proposalID: Digest

    public init(proposalID: Digest) {
        self.proposalID = proposalID
    }

    public func encode(to writer: inout CanonicalWriter) { writer.write(proposalID) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        proposalID = try reader.read(Digest.self)
    }
}
