import CRocksDB

#if canImport(Glibc)
    import Glibc
#endif

/// A RocksDB database opened through its C API, with column families, atomic synced write batches,
/// range and prefix iteration, and snapshot reads.
///
/// Safe to share between threads: RocksDB itself is thread-safe, and a read-write lock keeps `close()` from
/// running while any call is inside the native library. Iterators and snapshots exist only inside the closures
/// that `forEach` and `withSnapshot` run, so no native handle outlives the database. Do not call `close()`
/// from inside such a closure (it would wait for itself).
public final class RocksDB: @unchecked Sendable {
    /// The column family every RocksDB database has.
    public static let defaultColumn = "default"

    /// The directory holding the database.
    public let path: String
    /// The column families this database was opened with, `default` included.
    public let columnNames: [String]

    private let lock = ReadWriteLock()
    private var database: OpaquePointer?
    private let columns: [String: OpaquePointer]
    private let options: OpaquePointer
    private let syncedWrite: OpaquePointer
    private let unsyncedWrite: OpaquePointer
    private let defaultRead: OpaquePointer

    /// Opens (or creates) the database at `path` with the given column families. Column families already in
    /// the database are opened too, so none is ever dropped by omission.
    public init(
        path: String,
        columns requested: [String] = [],
        options settings: RocksDBOptions = RocksDBOptions()
    )
        throws(RocksDBError)
    {
        self.path = path
        options = Self.makeOptions(settings)
        let existing = Self.existingColumns(path: path, options: options)
        var names = [Self.defaultColumn]
        for name in existing + requested where !names.contains(name) {
            guard !name.isEmpty else {
                rocksdb_options_destroy(options)
                throw RocksDBError(.invalidArgument, "column family names must not be empty")
            }
            names.append(name)
        }
        columnNames = names

        let cNames = names.map { strdup($0) }
        defer { cNames.forEach { free($0) } }
        let cNamePointers: [UnsafePointer<CChar>?] = cNames.map { UnsafePointer($0) }
        let columnOptions: [OpaquePointer?] = Array(repeating: options, count: names.count)
        var handles = [OpaquePointer?](repeating: nil, count: names.count)
        var error: UnsafeMutablePointer<CChar>? = nil
        let opened = rocksdb_open_column_families(
            options,
            path,
            Int32(names.count),
            cNamePointers,
            columnOptions,
            &handles,
            &error
        )
        if let message = Self.take(error) {
            rocksdb_options_destroy(options)
            throw RocksDBError(.native, "cannot open \(path): \(message)")
        }
        guard let opened else {
            rocksdb_options_destroy(options)
            throw RocksDBError(.native, "cannot open \(path)")
        }
        database = opened
        var byName: [String: OpaquePointer] = [:]
        for (name, handle) in zip(names, handles) {
            if let handle { byName[name] = handle }
        }
        columns = byName
        syncedWrite = rocksdb_writeoptions_create()
        rocksdb_writeoptions_set_sync(syncedWrite, 1)
        unsyncedWrite = rocksdb_writeoptions_create()
        defaultRead = rocksdb_readoptions_create()
    }

    deinit {
        close()
        rocksdb_writeoptions_destroy(syncedWrite)
        rocksdb_writeoptions_destroy(unsyncedWrite)
        rocksdb_readoptions_destroy(defaultRead)
        rocksdb_options_destroy(options)
    }

    /// Closes the database after every call in progress has returned. Later calls throw `.closed`.
    /// Closing twice is harmless.
    public func close() {
        lock.withWriteLock {
            guard let database else { return }
            for handle in columns.values { rocksdb_column_family_handle_destroy(handle) }
            rocksdb_close(database)
            self.database = nil
        }
    }

    /// The value stored under `key`, or nil.
    public func get(_ key: [UInt8], column: String = defaultColumn) throws(RocksDBError) -> [UInt8]? {
        try withOpen { (database) throws(RocksDBError) in
            try Self.get(database, defaultRead, try handle(column), key)
        }
    }

    /// Stores one value. With `sync`, returns only after the write-ahead log reached the disk.
    public func put(
        _ key: [UInt8],
        _ value: [UInt8],
        column: String = defaultColumn,
        sync: Bool = false
    )
        throws(RocksDBError)
    {
        var batch = RocksDBWriteBatch()
        batch.put(key, value, column: column)
        try write(batch, sync: sync)
    }

    /// Deletes one key (deleting an absent key is not an error).
    public func delete(_ key: [UInt8], column: String = defaultColumn, sync: Bool = false) throws(RocksDBError) {
        var batch = RocksDBWriteBatch()
        batch.delete(key, column: column)
        try write(batch, sync: sync)
    }

    /// Applies every operation of `batch` atomically. With `sync`, returns only after the batch is durable:
    /// a crash after this returns cannot lose it, and a crash before cannot expose part of it.
    public func write(_ batch: RocksDBWriteBatch, sync: Bool) throws(RocksDBError) {
        try withOpen { (database) throws(RocksDBError) in
            let native = rocksdb_writebatch_create()
            defer { rocksdb_writebatch_destroy(native) }
            for operation in batch.operations {
                switch operation {
                case .put(let column, let key, let value):
                    rocksdb_writebatch_put_cf(native, try handle(column), key, key.count, value, value.count)
                case .delete(let column, let key):
                    rocksdb_writebatch_delete_cf(native, try handle(column), key, key.count)
                case .deleteRange(let column, let start, let end):
                    guard !end.lexicographicallyPrecedes(start) else {
                        throw RocksDBError(.invalidArgument, "delete range ends before it starts")
                    }
                    rocksdb_writebatch_delete_range_cf(native, try handle(column), start, start.count, end, end.count)
                }
            }
            var error: UnsafeMutablePointer<CChar>? = nil
            rocksdb_write(database, sync ? syncedWrite : unsyncedWrite, native, &error)
            if let message = Self.take(error) { throw RocksDBError(.native, "write failed: \(message)") }
        }
    }

    /// Calls `body` with each key and value in `range`, in ascending key order, until it returns false.
    public func forEach(
        in range: RocksDBKeyRange = .all,
        column: String = defaultColumn,
        _ body: ([UInt8], [UInt8]) throws -> Bool
    ) throws {
        try withOpenRethrowing { database in
            try Self.iterate(database, snapshot: nil, try handle(column), range, body)
        }
    }

    /// Runs `body` with a consistent view of the database as of now: writes made meanwhile are invisible to it.
    public func withSnapshot<R>(_ body: (RocksDBSnapshot) throws -> R) throws -> R {
        try withOpenRethrowing { database in
            guard let snapshot = rocksdb_create_snapshot(database) else {
                throw RocksDBError(.native, "cannot create a snapshot")
            }
            let view = RocksDBSnapshot(database: self, snapshot: snapshot)
            defer {
                view.invalidate()
                rocksdb_release_snapshot(database, snapshot)
            }
            return try body(view)
        }
    }

    // MARK: - Internals shared with snapshots

    /// Runs `body` with the native handle while holding the read lock; throws `.closed` after `close()`.
    func withOpen<R>(_ body: (OpaquePointer) throws(RocksDBError) -> R) throws(RocksDBError) -> R {
        try lock.withReadLock { () throws(RocksDBError) -> R in
            guard let database else { throw RocksDBError(.closed, "\(path) is closed") }
            Self.disablePerformanceCounters()
            return try body(database)
        }
    }

    /// `withOpen` for bodies that run caller closures, which may throw any error.
    func withOpenRethrowing<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        try lock.withReadLock { () throws -> R in
            guard let database else { throw RocksDBError(.closed, "\(path) is closed") }
            Self.disablePerformanceCounters()
            return try body(database)
        }
    }

    /// RocksDB counts every key comparison in a thread-local perf context unless told not to; in Debian's
    /// shared-library build each count is a `__tls_get_addr` call, about a tenth of a write's cost. The
    /// setting is per thread, so it is made before each call (itself one cheap thread-local store).
    static func disablePerformanceCounters() {
        rocksdb_set_perf_level(Int32(rocksdb_disable))
    }

    func handle(_ column: String) throws(RocksDBError) -> OpaquePointer {
        guard let handle = columns[column] else {
            throw RocksDBError(.unknownColumn, "column family '\(column)' was not opened (have: \(columnNames))")
        }
        return handle
    }

    static func get(
        _ database: OpaquePointer,
        _ read: OpaquePointer,
        _ column: OpaquePointer,
        _ key: [UInt8]
    )
        throws(RocksDBError) -> [UInt8]?
    {
        var length = 0
        var error: UnsafeMutablePointer<CChar>? = nil
        let value = rocksdb_get_cf(database, read, column, key, key.count, &length, &error)
        if let message = take(error) { throw RocksDBError(.native, "get failed: \(message)") }
        guard let value else { return nil }
        defer { rocksdb_free(value) }
        return Array(UnsafeRawBufferPointer(start: value, count: length))
    }

    static func iterate(
        _ database: OpaquePointer,
        snapshot: OpaquePointer?,
        _ column: OpaquePointer,
        _ range: RocksDBKeyRange,
        _ body: ([UInt8], [UInt8]) throws -> Bool
    ) throws {
        let read = rocksdb_readoptions_create()
        defer { rocksdb_readoptions_destroy(read) }
        if let snapshot { rocksdb_readoptions_set_snapshot(read, snapshot) }
        // RocksDB keeps a pointer to the upper bound: it must live until the iterator is destroyed.
        let upperBound = range.end.map { bound -> UnsafeMutableBufferPointer<CChar> in
            let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bound.count, 1))
            for (index, byte) in bound.enumerated() { buffer[index] = CChar(bitPattern: byte) }
            return buffer
        }
        defer { upperBound?.deallocate() }
        if let upperBound, let end = range.end {
            rocksdb_readoptions_set_iterate_upper_bound(read, upperBound.baseAddress, end.count)
        }
        let iterator = rocksdb_create_iterator_cf(database, read, column)
        defer { rocksdb_iter_destroy(iterator) }
        if let start = range.start {
            rocksdb_iter_seek(iterator, start, start.count)
        } else {
            rocksdb_iter_seek_to_first(iterator)
        }
        while rocksdb_iter_valid(iterator) != 0 {
            var keyLength = 0
            var valueLength = 0
            let key = rocksdb_iter_key(iterator, &keyLength)
            let value = rocksdb_iter_value(iterator, &valueLength)
            let keyBytes = Array(UnsafeRawBufferPointer(start: key, count: keyLength))
            let valueBytes = Array(UnsafeRawBufferPointer(start: value, count: valueLength))
            guard try body(keyBytes, valueBytes) else { return }
            rocksdb_iter_next(iterator)
        }
        var error: UnsafeMutablePointer<CChar>? = nil
        rocksdb_iter_get_error(iterator, &error)
        if let message = take(error) { throw RocksDBError(.native, "iteration failed: \(message)") }
    }

    /// Converts a RocksDB error string to a Swift string and frees it.
    static func take(_ error: UnsafeMutablePointer<CChar>?) -> String? {
        guard let error else { return nil }
        defer { rocksdb_free(error) }
        return String(cString: error)
    }

    private static func existingColumns(path: String, options: OpaquePointer) -> [String] {
        var count = 0
        var error: UnsafeMutablePointer<CChar>? = nil
        let names = rocksdb_list_column_families(options, path, &count, &error)
        // A database that does not exist yet has no column families; that is not an error here.
        _ = take(error)
        guard let names else { return [] }
        defer { rocksdb_list_column_families_destroy(names, count) }
        return (0..<count).compactMap { names[$0].map { String(cString: $0) } }
    }

    private static func makeOptions(_ settings: RocksDBOptions) -> OpaquePointer {
        let options: OpaquePointer = rocksdb_options_create()
        rocksdb_options_set_create_if_missing(options, settings.createIfMissing ? 1 : 0)
        rocksdb_options_set_create_missing_column_families(options, settings.createIfMissing ? 1 : 0)
        rocksdb_options_increase_parallelism(options, Int32(max(1, settings.parallelism)))
        rocksdb_options_set_max_open_files(options, settings.maxOpenFiles)
        rocksdb_options_set_write_buffer_size(options, settings.writeBufferBytes)
        rocksdb_options_set_db_write_buffer_size(options, settings.totalWriteBufferBytes)
        let compression: Int32 =
            switch settings.compression {
            case .none: Int32(rocksdb_no_compression)
            case .snappy: Int32(rocksdb_snappy_compression)
            case .lz4: Int32(rocksdb_lz4_compression)
            case .zstd: Int32(rocksdb_zstd_compression)
            }
        rocksdb_options_set_compression(options, compression)
        let table = rocksdb_block_based_options_create()
        defer { rocksdb_block_based_options_destroy(table) }
        if settings.bloomFilterBitsPerKey > 0 {
            // The table options take ownership of the filter policy.
            rocksdb_block_based_options_set_filter_policy(
                table,
                rocksdb_filterpolicy_create_bloom_full(settings.bloomFilterBitsPerKey)
            )
        }
        let cache = rocksdb_cache_create_lru(max(settings.blockCacheBytes, 1024 * 1024))
        rocksdb_block_based_options_set_block_cache(table, cache)
        rocksdb_cache_destroy(cache)
        rocksdb_options_set_block_based_table_factory(options, table)
        return options
    }
}
