import LedgerCore
import LedgerCrypto
import Verifier

/// What receipts need beyond queries: certificates, validator sets and the index of validator-set changes
/// that `commit` keeps (`docs/receipts.md`, "Serving receipts").
extension RocksDBLedgerStore: ReceiptSource {
    public func commitCertificate(atHeight height: UInt64) throws(StateReadError) -> CommitCertificate? {
        do { return try certificate(at: height) } catch { throw StateReadError(error.description) }
    }

    public func validatorSetChanges(below height: UInt64) throws(StateReadError) -> [UInt64] {
        var heights: [UInt64] = []
        let range = RocksDBKeyRange(start: LedgerKey.handOffPrefix, end: LedgerKey.handOff(height))
        do {
            try scan(range, LedgerColumn.meta) { key, _ in
                if let height = LedgerKey.decodeHeight(key.dropFirst(LedgerKey.handOffPrefix.count)) {
                    heights.append(height)
                }
                return true
            }
        } catch {
            throw StateReadError(error.description)
        }
        return heights
    }

    public func validators(forHeight height: UInt64, rules: LedgerRules) throws(StateReadError) -> ValidatorSet {
        do { return try validatorSet(at: rules.validatorSetVersion(forHeight: height), rules: rules) } catch {
            throw StateReadError(error.description)
        }
    }
}
