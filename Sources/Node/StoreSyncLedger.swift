import LedgerCore
import P2P
import Storage

/// Block sync over the node's RocksDB store: serves committed blocks with their certificates and commits
/// synced blocks only after `RocksDBLedgerStore.commitSynced` has checked them.
public final class StoreSyncLedger: SyncLedger {
    private let store: RocksDBLedgerStore
    private let executor: Executor

    public init(store: RocksDBLedgerStore, executor: Executor) {
        self.store = store
        self.executor = executor
    }

    public func committedHeight() -> UInt64 { (try? store.committedHeight()) ?? 0 }

    public func committedBlock(at height: UInt64) -> (block: Block, certificate: CommitCertificate)? {
        guard let block = try? store.block(at: height), let certificate = try? store.certificate(at: height) else {
            return nil
        }
        return (block, certificate)
    }

    public func commitSynced(_ block: Block, certificate: CommitCertificate) throws(SyncRefusal) {
        do { try store.commitSynced(block, certificate: certificate, executor: executor) } catch {
            throw SyncRefusal(error.description)
        }
    }
}
