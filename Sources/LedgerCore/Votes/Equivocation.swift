import LedgerCrypto

/// Two signed messages from one validator that no honest validator signs both of (`Consensus/SPEC.md` §8):
/// two votes of one type, height and round for different values (nil counts as a value), or two proposals
/// of one height and round for different blocks. Gossiped, checked, and committed in a block.
public enum Equivocation: Hashable, Sendable, CanonicalCodable {
    case votes(SignedVote, SignedVote)
    case proposals(SignedProposal, SignedProposal)

    /// The accused validator's index in `V(height)`.
    public var validatorIndex: UInt16 {
        switch self {
        case .votes(let first, _): return first.vote.validatorIndex
        case .proposals(let first, _): return first.proposal.proposerIndex
        }
    }

    public var height: UInt64 {
        switch self {
        case .votes(let first, _): return first.vote.height
        case .proposals(let first, _): return first.proposal.height
        }
    }

    public var round: UInt32 {
        switch self {
        case .votes(let first, _): return first.vote.round
        case .proposals(let first, _): return first.proposal.round
        }
    }

    /// What was signed twice: `proposal`, `prevote` or `precommit`.
    public var kind: String {
        switch self {
        case .votes(let first, _): return first.vote.type == .prevote ? "prevote" : "precommit"
        case .proposals: return "proposal"
        }
    }

    /// The same pair in one order (the lower encoding first), so that both orders are one piece of evidence.
    public var normalised: Equivocation {
        switch self {
        case .votes(let a, let b):
            return a.canonicalBytes.lexicographicallyPrecedes(b.canonicalBytes) ? self : .votes(b, a)
        case .proposals(let a, let b):
            return a.canonicalBytes.lexicographicallyPrecedes(b.canonicalBytes) ? self : .proposals(b, a)
        }
    }

    /// Checks the pair against `validators`, the set of its height (SPEC §8): one validator of the set, one
    /// height, round and type, two different values, both signatures valid for `network` under `suite`.
    public func verify(
        network: NetworkID,
        validators: ValidatorSet,
        suite: any CryptoSuite
    ) throws(EvidenceError) {
        let index = Int(validatorIndex)
        guard index < validators.validators.count else {
            throw .unknownValidator(index: validatorIndex, height: height)
        }
        let key: PublicKey
        do { key = try suite.publicKey(encoded: validators.validators[index].consensusKey) } catch {
            throw .badSignature("the validator's consensus key does not parse: \(error)")
        }
        let signed: Bool
        switch self {
        case .votes(let a, let b):
            guard a.vote.validatorIndex == b.vote.validatorIndex else { throw .mismatch("votes of two validators") }
            guard a.vote.type == b.vote.type, a.vote.height == b.vote.height, a.vote.round == b.vote.round else {
                throw .mismatch("votes of different types, heights or rounds")
            }
            guard a.vote.blockHash != b.vote.blockHash else { throw .mismatch("both votes are for the same value") }
            signed =
                a.isSigned(by: key, network: network, suite: suite)
                && b.isSigned(by: key, network: network, suite: suite)
        case .proposals(let a, let b):
            guard a.proposal.proposerIndex == b.proposal.proposerIndex else {
                throw .mismatch("proposals of two validators")
            }
            guard a.proposal.height == b.proposal.height, a.proposal.round == b.proposal.round else {
                throw .mismatch("proposals of different heights or rounds")
            }
            guard a.proposal.blockHash != b.proposal.blockHash else {
                throw .mismatch("both proposals are for the same block")
            }
            signed =
                a.isSigned(by: key, network: network, suite: suite)
                && b.isSigned(by: key, network: network, suite: suite)
        }
        guard signed else {
            throw .badSignature("a signature does not verify under validator \(validators.validators[index].id)'s key")
        }
    }

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .votes(let a, let b):
            writer.write(UInt8(1))
            writer.write(a)
            writer.write(b)
        case .proposals(let a, let b):
            writer.write(UInt8(2))
            writer.write(a)
            writer.write(b)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        switch try reader.read(UInt8.self) {
        case 1: self = .votes(try reader.read(SignedVote.self), try reader.read(SignedVote.self))
        case 2: self = .proposals(try reader.read(SignedProposal.self), try reader.read(SignedProposal.self))
        case let tag: throw CanonicalDecodingError(.unknownTag, at: start, "unknown evidence tag \(tag)")
        }
    }
}

/// Why a piece of evidence was refused.
public enum EvidenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The two messages do not conflict as SPEC §8 requires.
    case mismatch(String)
    case unknownValidator(index: UInt16, height: UInt64)
    case badSignature(String)
    /// Evidence older than the chain keeps validator sets for, or not older than the block carrying it.
    case outOfRange(height: UInt64, blockHeight: UInt64)
    /// Already committed in an earlier block (or twice in this one).
    case duplicate
    /// The validator set of that height cannot be read here (pruned, or not yet committed).
    case validatorSetUnavailable(height: UInt64, reason: String)

    public var description: String {
        switch self {
        case .mismatch(let reason): return "not equivocation: \(reason)"
        case .unknownValidator(let index, let height): return "no validator \(index) at height \(height)"
        case .badSignature(let reason): return "evidence signature: \(reason)"
        case .outOfRange(let height, let blockHeight):
            return "evidence of height \(height) cannot go into block \(blockHeight)"
        case .duplicate: return "evidence already committed"
        case .validatorSetUnavailable(let height, let reason):
            return "the validator set of height \(height) is unavailable: \(reason)"
        }
    }
}
