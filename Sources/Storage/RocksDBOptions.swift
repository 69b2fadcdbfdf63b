/// How a RocksDB database is opened and tuned. Defaults suit a ledger node: LZ4 compression, a bloom filter
/// for point reads, and a shared block cache.
public struct RocksDBOptions: Sendable {
    public enum Compression: Sendable {
        case none
        case snappy
        case lz4
        case zstd
    }

    /// Create the database (and missing column families) when absent.
    public var createIfMissing = true
    /// Background threads for flushes and compactions.
    public var parallelism = 2
    public var compression: Compression = .lz4
    /// Bits per key of the full bloom filter; 0 disables it.
    public var bloomFilterBitsPerKey = 10.0
    public var blockCacheBytes = 64 * 1024 * 1024
    public var writeBufferBytes = 64 * 1024 * 1024
    /// All column families' memtables together (RocksDB's `db_write_buffer_size`): without it each of the
    /// ledger's ten column families may hold two full write buffers, 1.3 GB, which a node under load does
    /// (`Tools/overload.sh`, docs/reliability.md).
    public var totalWriteBufferBytes = 256 * 1024 * 1024
    /// Upper bound on open table files; -1 keeps them all open.
    public var maxOpenFiles: Int32 = 512

    public init() {}
}
