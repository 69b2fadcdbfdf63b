import LedgerCore

/// Weighted round-robin proposer selection (SPEC §6): each selection adds every validator's power to its
/// priority, picks the highest (ties: lowest index) and takes the total power off the winner. Over any
/// window each validator proposes in proportion to its power; everything is integer and deterministic.
public struct ProposerSelection: Hashable, Sendable {
    public let powers: [UInt64]
    public private(set) var priorities: [Int64]

    /// Fresh priorities (all zero) for a validator set.
    public init(validators: ValidatorSet) {
        powers = validators.validators.map(\.power)
        priorities = Array(repeating: 0, count: powers.count)
    }

    /// The priorities carried over to a new validator set (SPEC §6): a validator that stays keeps its
    /// priority; a newcomer starts at −P (P the new total), behind everyone, so joining or re-joining gives no
    /// head start; then priorities are centred and clipped as after every selection.
    public func transitioned(from old: ValidatorSet, to new: ValidatorSet) -> ProposerSelection {
        var previous: [OrgID: Int64] = [:]
        for (index, validator) in old.validators.enumerated() where index < priorities.count {
            previous[validator.id] = priorities[index]
        }
        var next = ProposerSelection(validators: new)
        guard !next.powers.isEmpty else { return next }
        for (index, validator) in new.validators.enumerated() {
            next.priorities[index] = previous[validator.id] ?? -next.total
        }
        next.recentre()
        return next
    }

    private var total: Int64 { Int64(powers.reduce(0, +)) }

    /// Advances one selection and returns the chosen validator's index.
    public mutating func next() -> Int {
        precondition(!powers.isEmpty, "a validator set is never empty")
        for index in priorities.indices { priorities[index] += Int64(powers[index]) }
        var chosen = 0
        for index in priorities.indices where priorities[index] > priorities[chosen] { chosen = index }
        priorities[chosen] -= total
        recentre()
        return chosen
    }

    /// The proposer of round `round` when this value holds the priorities at the start of the height:
    /// the `(round + 1)`-th selection from here, without changing `self`.
    public func proposer(round: UInt32) -> Int {
        var copy = self
        var chosen = 0
        for _ in 0...round { chosen = copy.next() }
        return chosen
    }

    /// True when validator `index` is proposer(h, r) for some round r in `0...round`, with this value holding
    /// the priorities at the start of height h: who a block of h may name as its proposer once this node holds
    /// a proposal of it in round `round` (`docs/architecture.md`, "Checking a proposal"). Walks at most
    /// `round + 1` selections.
    public func isProposer(_ index: Int, inRoundsThrough round: UInt32) -> Bool {
        var copy = self
        for _ in 0...round where copy.next() == index { return true }
        return false
    }

    /// Shifts priorities so their mean is zero and clips them to ±2·total, so no validator builds up a
    /// long run (for instance after a validator-set change).
    private mutating func recentre() {
        let count = Int64(priorities.count)
        let mean = priorities.reduce(0, +) / count
        let bound = 2 * total
        for index in priorities.indices {
            priorities[index] = min(max(priorities[index] - mean, -bound), bound)
        }
    }
}
