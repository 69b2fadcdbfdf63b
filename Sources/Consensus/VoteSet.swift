import LedgerCore
import LedgerCrypto

/// The votes of one type in one round of one height, counting voting power exactly (SPEC §1).
///
/// As in Algorithm 1, a quorum "for v" counts the validators that sent a vote for v: each validator at most
/// once per value, and at most once towards "votes of any values" (L34, L47). A validator's second, different
/// vote is equivocation evidence (reported once per validator and set); it also counts for its value once
/// another validator's counted vote backs that value, so a node that first heard an equivocator's other vote
/// can still see the quorum an honest peer saw (SPEC §1, "Equivocators"). Counted values are therefore always
/// values of some validator's first vote: a set holds at most n values and n² votes.
public struct VoteSet: Sendable {
    public let type: VoteType
    public let height: UInt64
    public let round: UInt32
    public let validators: ValidatorSet

    /// Each validator's first vote.
    private var first: [UInt16: SignedVote] = [:]
    /// Counted votes by value, then by validator.
    private var byValue: [Digest?: [UInt16: SignedVote]] = [:]
    private var powerByValue: [Digest?: UInt64] = [:]
    private var equivocators: Set<UInt16> = []
    public private(set) var totalVotedPower: UInt64 = 0

    public init(type: VoteType, height: UInt64, round: UInt32, validators: ValidatorSet) {
        self.type = type
        self.height = height
        self.round = round
        self.validators = validators
    }

    /// What adding a vote did.
    public enum Addition: Equatable, Sendable {
        /// The vote now counts.
        case added
        /// Nothing changed: the same vote again (gossip duplicates are harmless), or a conflicting vote already
        /// reported that does not count (yet).
        case duplicate
        /// The first conflicting vote seen from this validator in this set: the pair is evidence.
        case equivocation(first: SignedVote, second: SignedVote)
        /// Not a vote of this set (type, height, round) or not from a validator of this set.
        case rejected(String)
    }

    /// Adds a vote whose signature the caller has verified.
    public mutating func add(_ signed: SignedVote) -> Addition {
        let vote = signed.vote
        guard vote.type == type, vote.height == height, vote.round == round else {
            return .rejected(
                "vote for \(vote.type) \(vote.height)/\(vote.round) in the set of \(type) \(height)/\(round)"
            )
        }
        guard Int(vote.validatorIndex) < validators.validators.count else {
            return .rejected(
                "validator index \(vote.validatorIndex) is not in the set of \(validators.validators.count)"
            )
        }
        let index = vote.validatorIndex
        let power = validators.validators[Int(index)].power
        guard let existing = first[index] else {
            first[index] = signed
            count(signed, power)
            totalVotedPower += power
            return .added
        }
        if byValue[vote.blockHash]?[index] != nil { return .duplicate }
        let backed = !(byValue[vote.blockHash]?.isEmpty ?? true)
        if backed { count(signed, power) }
        if equivocators.insert(index).inserted { return .equivocation(first: existing, second: signed) }
        return backed ? .added : .duplicate
    }

    private mutating func count(_ signed: SignedVote, _ power: UInt64) {
        byValue[signed.vote.blockHash, default: [:]][signed.vote.validatorIndex] = signed
        powerByValue[signed.vote.blockHash, default: 0] += power
    }

    /// Power that voted for `value` (nil: for nil).
    public func power(for value: Digest?) -> UInt64 { powerByValue[value] ?? 0 }

    /// True when `power` is a quorum of this set: 3·power > 2·total (SPEC §1).
    public func isQuorum(_ power: UInt64) -> Bool { 3 * power > 2 * validators.totalPower }

    /// The value (block hash, or nil) holding a quorum, if any. With less than a third of the power Byzantine
    /// at most one value can; should two (more than a third equivocating), the lowest is reported so that the
    /// answer never depends on dictionary order.
    public var quorumValue: Digest?? {
        let values = powerByValue.filter { isQuorum($0.value) }.map(\.key)
        guard let chosen = values.min(by: { ($0 ?? .zero) < ($1 ?? .zero) }) else { return .none }
        return .some(chosen)
    }

    /// True when votes of any values together hold a quorum (the trigger of L34 and L47).
    public var hasQuorumOfAnyValues: Bool { isQuorum(totalVotedPower) }

    /// True when the voters hold more than a third of the power (the skip threshold of L55).
    public var exceedsOneThird: Bool { 3 * totalVotedPower > validators.totalPower }

    /// Every value that received at least one counted vote.
    public var valuesVoted: [Digest?] { Array(byValue.keys) }

    /// True when this exact vote counts here. Gossip offers a peer the votes it does not count yet — not
    /// merely those it has seen, since an equivocator's vote may arrive before anything backs its value.
    public func counts(_ signed: SignedVote) -> Bool {
        byValue[signed.vote.blockHash]?[signed.vote.validatorIndex] == signed
    }

    /// Indices of every validator that voted in this set.
    public var voters: Dictionary<UInt16, SignedVote>.Keys { first.keys }

    /// The counted votes for `value`, by validator index: a commit certificate's signatures for precommits.
    public func votes(for value: Digest?) -> [SignedVote] {
        (byValue[value] ?? [:]).values.sorted { $0.vote.validatorIndex < $1.vote.validatorIndex }
    }
}
