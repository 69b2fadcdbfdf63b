import LedgerCore
import LedgerCrypto

/// What a verifier knows of the validator sets, and so which set it demands at each height (`docs/verifier.md`,
/// "Trust"): from the genesis file, and from every checkpoint it pins. V(h) is known for each h up to the
/// horizon; above it the latest known set is assumed until a hand-off, made final by that set, hands on.
/// A header is never trusted under a set that a known later set has replaced: a receipt that leaves out a
/// hand-off cannot bring back a set the verifier knows is gone. Pure.
public struct TrustedHistory: Sendable {
    /// One known validator set and the first height it signs.
    struct Era: Sendable {
        let from: UInt64
        let set: ValidatorSet
    }

    public let genesis: Genesis
    /// Known sets, ascending by `from`; the first is the genesis set from height 1.
    private var eras: [Era]
    /// V(h) is known for every h ≤ horizon.
    public private(set) var horizon: UInt64
    /// The checkpoints pinned, ascending by height.
    public private(set) var checkpoints: [CheckpointRef] = []

    /// Trust in the genesis file alone: the genesis set is V(1).
    public init(genesis: Genesis) throws(HeaderVerificationError) {
        self.genesis = genesis
        eras = [Era(from: 1, set: try HeaderVerifier.genesisValidators(genesis))]
        horizon = 1
    }

    /// Trust in the genesis file and `checkpoints`, pinned in height order.
    public init(genesis: Genesis, checkpoints: [Checkpoint]) throws(HeaderVerificationError) {
        try self.init(genesis: genesis)
        for checkpoint in checkpoints.sorted(by: { $0.height < $1.height }) { try pin(checkpoint) }
    }

    /// The latest known set: V(h) for every h above the horizon, until a hand-off says otherwise.
    public var latest: ValidatorSet { eras[eras.count - 1].set }

    /// The set trusted at `height`: the known V(height), or the latest known set above the horizon.
    public func validators(at height: UInt64) -> ValidatorSet {
        eras.last { $0.from <= height }?.set ?? eras[0].set
    }

    /// Pins `checkpoint`: follows its hand-offs and its point from what is known already, so a checkpoint
    /// that contradicts a set this history knows (or is not final under it) is refused.
    public mutating func pin(_ checkpoint: Checkpoint) throws(HeaderVerificationError) {
        self = try following(checkpoint.handOffs + [checkpoint.point], below: checkpoint.height + 1)
        let reference = checkpoint.reference(hash: genesis.suite.suite.hashFunction)
        if !checkpoints.contains(reference) {
            checkpoints.append(reference)
            checkpoints.sort { $0.height < $1.height }
        }
    }

    /// This history extended by `handOffs` (ascending, each below `height`): a hand-off at or above the
    /// horizon is checked under the set trusted at its height and hands to its new set; one below the horizon
    /// must agree with the set already known (its signatures add nothing).
    public func following(
        _ handOffs: [ValidatorHandOff],
        below height: UInt64
    ) throws(HeaderVerificationError) -> TrustedHistory {
        let hash = genesis.suite.suite.hashFunction
        var extended = self
        var previous: UInt64 = 0
        for handOff in handOffs {
            let at = handOff.header.height
            guard at > previous, at < height else { throw .handOffOutOfOrder(height: at) }
            previous = at
            if at < extended.horizon {
                guard handOff.next.hash(hash) == extended.validators(at: at + 1).hash(hash) else {
                    throw .contradictsCheckpoint(height: at)
                }
                continue
            }
            try extended.check(handOff.header, handOff.certificate)
            guard handOff.header.nextValidatorSetHash == handOff.next.hash(hash) else {
                throw .nextSetMismatch(height: at)
            }
            if handOff.next.hash(hash) != extended.latest.hash(hash) {
                extended.eras.append(Era(from: at + 1, set: handOff.next))
            }
            extended.horizon = at + 1
        }
        return extended
    }

    /// Checks `header` and its `certificate` under the set trusted at its height; a header at a pinned
    /// checkpoint's height must be that checkpoint's header.
    func check(_ header: BlockHeader, _ certificate: CommitCertificate) throws(HeaderVerificationError) {
        let hash = genesis.suite.suite.hashFunction
        if let pinned = checkpoints.first(where: { $0.height == header.height }), pinned.headerHash != header.hash(hash)
        {
            throw .contradictsCheckpoint(height: header.height)
        }
        try HeaderVerifier.check(header, certificate, under: validators(at: header.height), genesis: genesis)
    }

    /// How many set changes this history knows that `base` did not.
    func eras(since base: TrustedHistory) -> Int { eras.count - base.eras.count }

    /// Whether this history holds what a receipt's hand-offs start from: nil (genesis), or a checkpoint at
    /// the same height or a later one.
    public func covers(_ base: CheckpointRef?) -> Bool {
        guard let base else { return true }
        return horizon > base.height
            && checkpoints.allSatisfy { $0.height != base.height || $0.headerHash == base.headerHash }
    }

    /// What this history trusts, in words: "genesis 1a2b… and the checkpoint at height H (header …)".
    public var trustDescription: String {
        let root = "genesis \(genesis.hash.hex.prefix(16))…"
        guard let last = checkpoints.last else { return root }
        return "\(root) and \(last)"
    }
}
