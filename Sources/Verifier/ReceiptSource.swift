import LedgerCore

/// Read access a receipt needs beyond `LedgerReader`, declared here so `ReceiptBuilder` stays pure; the
/// ledger store implements it.
public protocol ReceiptSource: LedgerReader {
    /// The commit certificate stored with the block at `height`.
    func commitCertificate(atHeight height: UInt64) throws(StateReadError) -> CommitCertificate?
    /// The heights below `height` whose header names a next validator set other than its own, ascending.
    func validatorSetChanges(below height: UInt64) throws(StateReadError) -> [UInt64]
    /// V(height), the validators that sign the block at `height` under `rules`.
    func validators(forHeight height: UInt64, rules: LedgerRules) throws(StateReadError) -> ValidatorSet
}
