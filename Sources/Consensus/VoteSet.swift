import LedgerCore
import LedgerCrypto

/// The votes of one type in one round of one height, counting voting power exactly (SPEC §1): one vote per
/// validator; a second, different vote from the same validator is kept as equivocation evidence and never
/// counted twice.
public struct VoteSet: Sendable {
    public let type: VoteType
    public let height: UInt64
    public let round: UInt32
    public let validators: ValidatorSet

    private var votes: [UInt16: SignedVote] = [:]
    private var powerByValue: [Digest?: UInt64] = [:]
    public private(set) var totalVotedPower: UInt64 = 0

    public init(type: VoteType, height: UInt64, round: UInt32, validators: ValidatorSet) {
        self.type = type
        self.height = height
        self.round = round
        self.validators = validators
    }

    /// What adding a vote did.
    public enum Addition: Equatable, Sendable {
        case added
        /// The same vote again (gossip duplicates are harmless).
        case duplicate
        /// A different vote from a validator that already voted: the pair is evidence.
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
        if let existing = votes[vote.validatorIndex] {
            return existing.vote == vote ? .duplicate : .equivocation(first: existing, second: signed)
        }
        let power = validators.validators[Int(vote.validatorIndex)].power
        votes[vote.validatorIndex] = signed
        powerByValue[vote.blockHash, default: 0] += power
        totalVotedPower += power
        return .added
    }

    /// Power that voted for `value` (nil: for nil).
    public func power(for value: Digest?) -> UInt64 { powerByValue[value] ?? 0 }

    /// True when `power` is a quorum of this set: 3·power > 2·total (SPEC §1).
    public func isQuorum(_ power: UInt64) -> Bool { 3 * power > 2 * validators.totalPower }

    /// The value (block hash, or nil) holding a quorum, if any. At most one value can.
    public var quorumValue: Digest?? {
        for (value, power) in powerByValue where isQuorum(power) { return .some(value) }
        return .none
    }

    /// True when votes of any values together hold a quorum (the trigger of L34 and L47).
    public var hasQuorumOfAnyValues: Bool { isQuorum(totalVotedPower) }

    /// True when the voters hold more than a third of the power (the skip threshold of L55).
    public var exceedsOneThird: Bool { 3 * totalVotedPower > validators.totalPower }

    /// Every value that received at least one vote.
    public var valuesVoted: [Digest?] { Array(powerByValue.keys) }

    /// The votes for `value`, by validator index: a commit certificate's signatures for precommits.
    public func votes(for value: Digest?) -> [SignedVote] {
        votes.values.filter { $0.vote.blockHash == value }.sorted { $0.vote.validatorIndex < $1.vote.validatorIndex }
    }
}
