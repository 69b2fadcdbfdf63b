import LedgerCore
import LedgerCrypto

/// A node's equivocation evidence waiting to be committed (SPEC §8): what its engine detected and what
/// peers gossiped, after checking. Each offence — one validator signing twice at one (height, round, kind) —
/// is held once, whatever pair shows it; offences already committed are never taken again. Proposers put
/// the pending evidence in their blocks; a committed block clears what it carried.
public struct EvidencePool: Sendable {
    /// One offence.
    struct Offence: Hashable, Sendable {
        let height: UInt64
        let round: UInt32
        let kind: String
        let validator: UInt16

        init(_ evidence: Equivocation) {
            height = evidence.height
            round = evidence.round
            kind = evidence.kind
            validator = evidence.validatorIndex
        }
    }

    /// Pending evidence kept at most; beyond it new offences are refused (a validator equivocating in every
    /// round of a long halt must not make pools grow without bound; the earliest offences are committed first).
    public static let maximumPending = 10_000

    public private(set) var pending: [Equivocation] = []
    private var known: Set<Offence> = []
    private var committed: Set<Offence> = []

    public init() {}

    /// Adds checked evidence (`Equivocation.verify` against V(its height)); false when the offence is
    /// already pending or committed, or the pool is full.
    @discardableResult
    public mutating func add(_ evidence: Equivocation) -> Bool {
        let offence = Offence(evidence)
        guard pending.count < Self.maximumPending, !committed.contains(offence), known.insert(offence).inserted
        else { return false }
        pending.append(evidence.normalised)
        return true
    }

    /// True when this pool already has the offence `evidence` shows (pending or committed): what gossip
    /// need not offer it again.
    public func holds(_ evidence: Equivocation) -> Bool { known.contains(Offence(evidence)) }

    /// What a proposer of block `height` includes: pending evidence young enough to commit, oldest first.
    public func proposal(forHeight height: UInt64, limit: Int = 100) -> [Equivocation] {
        Array(
            pending.lazy.filter { $0.height < height && $0.height + EvidenceExecution.maximumAge >= height }
                .prefix(limit)
        )
    }

    /// A block committed `evidence`: never propose those offences again.
    public mutating func committed(_ evidence: [Equivocation]) {
        for piece in evidence {
            let offence = Offence(piece)
            committed.insert(offence)
            known.insert(offence)
        }
        let done = committed
        pending.removeAll { done.contains(Offence($0)) }
    }

    /// Drops pending evidence too old to commit in block `height` or later.
    public mutating func expire(beforeHeight height: UInt64) {
        pending.removeAll { $0.height + EvidenceExecution.maximumAge < height }
    }
}
