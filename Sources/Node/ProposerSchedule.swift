import Consensus
import LedgerCore
import Storage

/// Proposer priorities at the start of each height (`Consensus/SPEC.md` §6): from genesis, one `next()` per
/// height, carried across validator-set changes with `transitioned`. A node that restarts or syncs derives
/// them from its own store; the last result is kept so advancing one height is one step.
struct ProposerSchedule {
    private var height: UInt64 = 1
    private var validators: ValidatorSet
    private var selection: ProposerSelection

    init(store: RocksDBLedgerStore, rules: LedgerRules) throws(LedgerStoreError) {
        validators = try store.validatorSet(at: rules.validatorSetVersion(forHeight: 1), rules: rules)
        selection = ProposerSelection(validators: validators)
    }

    /// The validator set and proposer priorities of `target` (not below the last height asked).
    mutating func at(
        _ target: UInt64,
        store: RocksDBLedgerStore,
        rules: LedgerRules
    ) throws(LedgerStoreError) -> (ValidatorSet, ProposerSelection) {
        while height < target {
            _ = selection.next()
            let next = try store.validatorSet(at: rules.validatorSetVersion(forHeight: height + 1), rules: rules)
            if next != validators { selection = selection.transitioned(from: validators, to: next) }
            validators = next
            height += 1
        }
        return (validators, selection)
    }
}
