import LedgerCore
import NIOConcurrencyHelpers
import P2P
import Storage

/// Block sync over a RocksDB store that nothing else writes: serves committed blocks with their certificates and
/// commits synced blocks only after `RocksDBLedgerStore.commitSynced` has checked them. The committed height is
/// kept here, read from the store once and moved by each commit, so asking for it cannot fail and never reads
/// as 0 when the store does (issue 16).
public final class StoreSyncLedger: SyncLedger {
    private let store: RocksDBLedgerStore
    private let executor: Executor
    private let committed: NIOLockedValueBox<UInt64>

    public init(store: RocksDBLedgerStore, executor: Executor) throws(LedgerStoreError) {
        self.store = store
        self.executor = executor
        committed = NIOLockedValueBox(try store.committedHeight())
    }

    public func committedHeight() -> UInt64 { committed.withLockedValue { $0 } }

    /// A block this store cannot read is not served (absence is the answer): the asking peer's request times out
    /// and goes to another peer.
    public func committedBlock(at height: UInt64) -> (block: Block, certificate: CommitCertificate)? {
        // try?: absence is the answer (see above); the failure is the store's to report, not the asker's.
        guard let block = try? store.block(at: height), let certificate = try? store.certificate(at: height) else {
            return nil
        }
        return (block, certificate)
    }

    public func commitSynced(_ block: Block, certificate: CommitCertificate) throws(SyncRefusal) {
        do { try store.commitSynced(block, certificate: certificate, executor: executor) } catch {
            throw error.isLocalFailure ? .local(error.description) : SyncRefusal(error.description)
        }
        committed.withLockedValue { $0 = block.header.height }
    }
}
