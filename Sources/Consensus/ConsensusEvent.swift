import LedgerCore
import LedgerCrypto

/// The step of a round (SPEC §3).
public enum ConsensusStep: UInt8, Sendable, Comparable {
    case propose = 1
    case prevote = 2
    case precommit = 3

    public static func < (lhs: ConsensusStep, rhs: ConsensusStep) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ConsensusStep: CanonicalCodable {
    public func encode(to writer: inout CanonicalWriter) { writer.write(rawValue) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let step = ConsensusStep(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown consensus step \(raw)")
        }
        self = step
    }
}

/// A timeout the engine asked for; it comes back as an event when it fires.
public struct ConsensusTimeout: Hashable, Sendable {
    public let height: UInt64
    public let round: UInt32
    public let step: ConsensusStep

    public init(height: UInt64, round: UInt32, step: ConsensusStep) {
        self.height = height
        self.round = round
        self.step = step
    }
}

/// Everything that can happen to the engine. Signatures on proposals and votes are checked by the driver
/// before they become events; the engine's own messages come back as events once signed.
public enum ConsensusEvent: Hashable, Sendable {
    case proposal(SignedProposal)
    case vote(SignedVote)
    case timeout(ConsensusTimeout)
    /// The answer to `validateBlock`.
    case blockValidated(Digest, valid: Bool)
    /// The answer to `buildBlock`: the hash of the block this validator proposes (already validated).
    case blockBuilt(Digest)
    /// The node committed a block at this height — decided here, or fetched with its certificate by block
    /// sync (SPEC §11): the height is over, and the engine neither votes nor decides any more.
    case blockCommitted(Digest)
}

/// What the engine asks its driver to do.
public enum ConsensusEffect: Sendable, Equatable {
    /// Build a block from the mempool for this height and round; answer with `blockBuilt`.
    case buildBlock(height: UInt64, round: UInt32)
    /// Sign (through the signing guard) and broadcast, feeding the signed message back as an event.
    case broadcastProposal(Proposal)
    case broadcastVote(Vote)
    case scheduleTimeout(ConsensusTimeout, milliseconds: UInt32)
    /// Check the block with this hash (SPEC §4, "Valid"); answer with `blockValidated`.
    case validateBlock(Digest)
    /// The height is decided: commit this block with this certificate (L49).
    case decide(blockHash: Digest, certificate: CommitCertificate)
    /// Two conflicting messages from one validator (SPEC §8): keep, gossip and commit them.
    case evidence(Equivocation)
}
