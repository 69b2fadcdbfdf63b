import LedgerCore
import LedgerCrypto

/// Why the ledger store refused an operation or found itself inconsistent.
public enum LedgerStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case database(RocksDBError)
    /// The store was initialised with another genesis.
    case genesisMismatch(stored: Digest, given: Digest)
    case notInitialised
    /// A block was offered out of order.
    case wrongHeight(expected: UInt64, got: UInt64)
    /// The header's state root differs from the root the store computed.
    case stateRootMismatch(header: Digest, computed: Digest)
    /// The state of that height was pruned; heights from `keptFrom` on are kept.
    case versionPruned(height: UInt64, keptFrom: UInt64)
    /// A read of a height this store has not committed yet (it is at `committed`): not a fault of the store.
    case notCommitted(height: UInt64, committed: UInt64)
    /// The results given are not the ones the header commits to.
    case resultsMismatch
    /// A block's equivocation evidence does not hold (SPEC §8).
    case invalidEvidence(EvidenceError)
    /// A synced block's commit certificate does not make it final (SPEC §7).
    case invalidCertificate(CertificateError)
    /// A block is not the one this node builds from the same inputs, or an input is not acceptable (its
    /// last commit, time or proposer); says which.
    case blockMismatch(String)
    case corrupt(String)

    /// True when the fault is the store's own (it cannot be read or written, or holds something else than
    /// asked), not the block or request it was given: block sync blames no peer for it.
    public var isLocalFailure: Bool {
        switch self {
        case .database, .genesisMismatch, .notInitialised, .versionPruned, .notCommitted, .corrupt: return true
        case .wrongHeight, .stateRootMismatch, .resultsMismatch, .invalidEvidence, .invalidCertificate,
            .blockMismatch:
            return false
        }
    }

    public var description: String {
        switch self {
        case .database(let error): return error.description
        case .genesisMismatch(let stored, let given):
            return "this store holds the chain of genesis \(stored.hex), not \(given.hex)"
        case .notInitialised: return "the store has no genesis yet"
        case .wrongHeight(let expected, let got): return "expected block \(expected), got \(got)"
        case .stateRootMismatch(let header, let computed):
            return "block header says state root \(header.hex), execution gives \(computed.hex)"
        case .versionPruned(let height, let keptFrom):
            return "the state at height \(height) was pruned; this node keeps heights from \(keptFrom) on"
        case .notCommitted(let height, let committed):
            return "height \(height) is not committed yet; this store is at height \(committed)"
        case .resultsMismatch: return "the transaction results do not match the header's results root"
        case .invalidEvidence(let error): return "invalid evidence: \(error)"
        case .invalidCertificate(let error): return "invalid commit certificate: \(error)"
        case .blockMismatch(let reason): return "the block is not valid: \(reason)"
        case .corrupt(let message): return "ledger store corrupt: \(message)"
        }
    }
}
