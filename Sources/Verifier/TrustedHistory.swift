import LedgerCore
import LedgerCrypto

/// What a verifier knows of the validator sets, and so which set it demands at each height (`docs/verifier.md`,
/// "Trust"): from the genesis file, and from every checkpoint it pins. V(h) is known for each h up to the
/// horizon; above it the latest known set is assumed until a hand-off, made final by that set, hands on.
/// Above a pinned checkpoint, a header is never trusted under a set that a known later set has replaced: a
/// receipt that leaves out a hand-off cannot bring back a set the verifier knows is gone. Pure.
public struct TrustedHistory: Sendable {
    /// One known validator set and the first height it signs.
    struct Era: Sendable {
        let from: UInt64
        let set: ValidatorSet
    }

    /// A pinned checkpoint and its header's time.
    struct Pin: Sendable {
        let reference: CheckpointRef
        let time: UInt64
    }

    public let genesis: Genesis
    /// Known sets, ascending by `from`; the first is the genesis set from height 1.
    private var eras: [Era]
    /// V(h) is known for every h ≤ horizon.
    public private(set) var horizon: UInt64
    private var pins: [Pin] = []

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

    /// The checkpoints pinned, ascending by height.
    public var checkpoints: [CheckpointRef] { pins.map(\.reference) }

    /// The latest known set: V(h) for every h above the horizon, until a hand-off says otherwise.
    public var latest: ValidatorSet { eras[eras.count - 1].set }

    /// The set trusted at `height`: the known V(height), or the latest known set above the horizon.
    public func validators(at height: UInt64) -> ValidatorSet {
        eras.last { $0.from <= height }?.set ?? eras[0].set
    }

    /// Pins `checkpoint`: its point header must be final under the set known or handed to at its height and
    /// name the set it carries as the next, its hand-offs must follow from what is known already, and no
    /// other header may be pinned at its height. A checkpoint that contradicts what this history knows is
    /// refused.
    public mutating func pin(_ checkpoint: Checkpoint) throws(HeaderVerificationError) {
        let hash = genesis.suite.suite.hashFunction
        let point = checkpoint.point
        guard checkpoint.height >= 1, checkpoint.height < UInt64.max else {
            throw .handOffOutOfOrder(height: checkpoint.height)
        }
        let reference = checkpoint.reference(hash: hash)
        if let pinned = pins.first(where: { $0.reference.height == checkpoint.height }) {
            guard pinned.reference == reference else { throw .contradictsCheckpoint(height: checkpoint.height) }
            return
        }
        var extended = try following(checkpoint.handOffs, below: checkpoint.height)
        // The point is checked whatever the horizon: a pinned header is relied on, never only compared.
        try extended.check(point.header, point.certificate)
        guard point.header.nextValidatorSetHash == point.next.hash(hash) else {
            throw .nextSetMismatch(height: checkpoint.height)
        }
        if checkpoint.height < extended.horizon {
            guard point.next.hash(hash) == extended.validators(at: checkpoint.height + 1).hash(hash) else {
                throw .contradictsCheckpoint(height: checkpoint.height)
            }
        } else {
            extended.hand(to: point.next, after: checkpoint.height)
        }
        extended.pins.append(Pin(reference: reference, time: point.header.time))
        extended.pins.sort { $0.reference.height < $1.reference.height }
        self = extended
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
            extended.hand(to: handOff.next, after: at)
        }
        return extended
    }

    /// Trust moves to `next` from `height + 1`, a header at `height` having named it (checked by the caller).
    private mutating func hand(to next: ValidatorSet, after height: UInt64) {
        let hash = genesis.suite.suite.hashFunction
        if next.hash(hash) != latest.hash(hash) { eras.append(Era(from: height + 1, set: next)) }
        horizon = height + 1
    }

    /// Checks `header` and its `certificate` under the set trusted at its height. Against every pinned
    /// checkpoint: a header at its height must be its header, one below it no later than its time, one above
    /// it no earlier (block time never goes back, `Consensus/SPEC.md`) — so a header a replaced set signs
    /// today for a height it once signed still shows a time before the checkpoint.
    func check(_ header: BlockHeader, _ certificate: CommitCertificate) throws(HeaderVerificationError) {
        let hash = genesis.suite.suite.hashFunction
        guard header.height >= 1 else { throw .unexpectedValidatorSet(height: header.height) }
        for pin in pins {
            let pinned = pin.reference
            if pinned.height == header.height, pinned.headerHash != header.hash(hash) {
                throw .contradictsCheckpoint(height: header.height)
            }
            if (header.height < pinned.height && header.time > pin.time)
                || (header.height > pinned.height && header.time < pin.time)
            {
                throw .contradictsCheckpoint(height: header.height)
            }
        }
        try HeaderVerifier.check(header, certificate, under: validators(at: header.height), genesis: genesis)
    }

    /// Why evidence of the ledger's state at `height` is not read, or nil: state from below the latest pinned
    /// checkpoint cannot be told from what a replaced set signed for a height it once signed, dated before
    /// the checkpoint (`docs/verifier.md`, "Checkpoints"). A fresh receipt can always be fetched.
    public func refusesState(at height: UInt64) -> String? {
        guard let floor = pins.last?.reference, height < floor.height else { return nil }
        return "the evidence is from block \(height), below \(floor) this verifier pins: fetch a fresh receipt"
    }

    /// Whether this history holds what a receipt's hand-offs start from: nil (genesis), or a checkpoint at
    /// the same height or a later one.
    public func covers(_ base: CheckpointRef?) -> Bool {
        guard let base else { return true }
        return horizon > base.height
            && pins.allSatisfy { $0.reference.height != base.height || $0.reference == base }
    }

    /// What this history trusts, in words: "genesis 1a2b… and the checkpoint at height H (header …)".
    public var trustDescription: String {
        let root = "genesis \(genesis.hash.hex.prefix(16))…"
        guard let last = pins.last else { return root }
        return "\(root) and \(last.reference)"
    }
}
