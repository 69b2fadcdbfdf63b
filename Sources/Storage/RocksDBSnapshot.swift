import CRocksDB

/// A read-only, point-in-time view of a `RocksDB`, valid only inside `RocksDB.withSnapshot`.
/// Using it after that closure returned throws `.closed`.
public final class RocksDBSnapshot: @unchecked Sendable {
    private unowned let database: RocksDB
    private let snapshot: OpaquePointer
    private let read: OpaquePointer
    private let state = ReadWriteLock()
    private var valid = true

    init(database: RocksDB, snapshot: OpaquePointer) {
        self.database = database
        self.snapshot = snapshot
        read = rocksdb_readoptions_create()
        rocksdb_readoptions_set_snapshot(read, snapshot)
    }

    deinit { rocksdb_readoptions_destroy(read) }

    func invalidate() {
        state.withWriteLock { valid = false }
    }

    /// The value of `key` as of the snapshot.
    public func get(_ key: [UInt8], column: String = RocksDB.defaultColumn) throws(RocksDBError) -> [UInt8]? {
        try state.withReadLock { () throws(RocksDBError) -> [UInt8]? in
            guard valid else { throw RocksDBError(.closed, "snapshot used after withSnapshot returned") }
            return try database.withOpen { (handle) throws(RocksDBError) in
                try RocksDB.get(handle, read, try database.handle(column), key)
            }
        }
    }

    /// Iterates `range` as of the snapshot; see `RocksDB.forEach`.
    public func forEach(
        in range: RocksDBKeyRange = .all,
        column: String = RocksDB.defaultColumn,
        _ body: ([UInt8], [UInt8]) throws -> Bool
    ) throws {
        try state.withReadLock {
            guard valid else { throw RocksDBError(.closed, "snapshot used after withSnapshot returned") }
            try database.withOpenRethrowing { handle in
                try RocksDB.iterate(handle, snapshot: snapshot, try database.handle(column), range, body)
            }
        }
    }
}
