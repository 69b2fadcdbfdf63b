import LedgerCore
import LedgerCrypto

/// Blocks, commit certificates, the transaction index and the versioned state (tree nodes and values) in one
/// RocksDB database (`docs/storage.md`). A block and all its state changes are written in one synced,
/// atomic batch, so after a crash the store is at the last fully committed height, with a state root that
/// matches that block's header.
public final class RocksDBLedgerStore: @unchecked Sendable {
    public let database: RocksDB
    public let hash: any HashFunction
    private let tree: SparseMerkleTree
    private let nodeCache: TreeNodeCache
    /// How many recent state versions to keep provable; nil keeps all (an archive node). Building a block
    /// reads the state `validator_set_delay` heights back (SPEC §1), so keep at least that many.
    public let retainedVersions: UInt64?

    /// Opens the store at `path` for a network using `suite`, caching up to `cachedNodes` state-tree nodes
    /// in memory per cache generation (the top of a 10-million-record tree is about 2^20 nodes; what that costs
    /// in memory: `TreeNodeCache`).
    public init(
        path: String,
        suite: CryptoSuiteID,
        options: RocksDBOptions = RocksDBOptions(),
        cachedNodes: Int = 1 << 20,
        retainedVersions: UInt64? = nil
    ) throws(LedgerStoreError) {
        nodeCache = TreeNodeCache(capacity: cachedNodes)
        self.retainedVersions = retainedVersions
        do {
            database = try RocksDB(path: path, columns: LedgerColumn.all, options: options)
        } catch {
            throw .database(error)
        }
        hash = suite.suite.hashFunction
        tree = SparseMerkleTree(hash: hash)
    }

    public func close() { database.close() }

    // MARK: - Genesis and heights

    /// Writes the genesis state as version 0, once. Reopening with the same genesis is a no-op; another
    /// genesis is refused.
    public func initialize(genesis: Genesis) throws(LedgerStoreError) {
        let genesisHash = genesis.hash
        if let stored = try get(LedgerKey.genesisHash, LedgerColumn.meta) {
            guard stored == genesisHash.bytes else {
                throw .genesisMismatch(stored: Digest(bytes: stored) ?? .zero, given: genesisHash)
            }
            return
        }
        let prepared = try prepare(writes: genesis.initialState, height: 0)
        var batch = RocksDBWriteBatch()
        add(prepared, to: &batch)
        batch.put(LedgerKey.genesisHash, genesisHash.bytes, column: LedgerColumn.meta)
        try write(batch)
    }

    /// Writes a state version with no block (synced): how genesis is imported, and how the state-tree
    /// benchmark loads millions of records without signing millions of transactions. Nodes commit every
    /// later version through `commit(_:certificate:results:state:)`.
    public func commitStateVersion(_ prepared: PreparedState) throws(LedgerStoreError) {
        var batch = RocksDBWriteBatch()
        add(prepared, to: &batch)
        try write(batch)
        cache(prepared)
    }

    /// The height of the last committed block (0: only the genesis state).
    public func committedHeight() throws(LedgerStoreError) -> UInt64 {
        guard let bytes = try get(LedgerKey.committedHeight, LedgerColumn.meta) else {
            guard try get(LedgerKey.genesisHash, LedgerColumn.meta) != nil else { throw .notInitialised }
            return 0
        }
        guard let height = LedgerKey.decodeHeight(bytes) else { throw .corrupt("committed height is not 8 bytes") }
        return height
    }

    /// The state tree root after `height` (0: genesis state).
    public func stateRoot(at height: UInt64) throws(LedgerStoreError) -> Digest {
        try rootChild(at: height)?.hash ?? .zero
    }

    // MARK: - Committing blocks

    /// Computes the state tree update of a block's writes at `height` without storing anything: the root
    /// goes into the block header before the block is committed.
    public func prepare(writes: [StateWrite], height: UInt64) throws(LedgerStoreError) -> PreparedState {
        let previous = height == 0 ? nil : try rootChild(at: height - 1)
        var values: [Digest: Digest] = [:]
        var superseded: [[UInt8]] = []
        for write in writes {
            values[write.key] = hash.hash(write.value)
            if let old = try latestVersion(write.key) { superseded.append(LedgerKey.value(write.key, version: old)) }
        }
        do {
            let update = try tree.update(root: previous, version: height, values: values, reader: self)
            return PreparedState(height: height, writes: writes, treeUpdate: update, supersededValues: superseded)
        } catch {
            throw .corrupt(error.message)
        }
    }

    /// Commits `block` with its certificate, results and prepared state in one synced atomic write.
    public func commit(
        _ block: Block,
        certificate: CommitCertificate?,
        results: [TransactionResult],
        state prepared: PreparedState
    ) throws(LedgerStoreError) {
        let height = block.header.height
        let expected = try committedHeight() + 1
        guard height == expected, prepared.height == height else { throw .wrongHeight(expected: expected, got: height) }
        guard block.header.stateRoot == prepared.rootHash else {
            throw .stateRootMismatch(header: block.header.stateRoot, computed: prepared.rootHash)
        }
        guard results.count == block.transactions.count,
            block.header.resultsRoot == Block.resultsRoot(results, hash: hash)
        else {
            throw .resultsMismatch
        }
        var batch = RocksDBWriteBatch()
        batch.put(LedgerKey.height(height), block.canonicalBytes, column: LedgerColumn.blocks)
        if let certificate {
            batch.put(LedgerKey.height(height), certificate.canonicalBytes, column: LedgerColumn.commits)
        }
        // Every group of puts goes in key order: RocksDB inserts each into its memtable's skip list starting
        // from where the previous one went, so a batch in key order costs less than the same batch in hash
        // order (profiled under `Tools/compare-etcd.sh`, docs/benchmarks.md). Digests order as their bytes.
        let locations = block.transactions.enumerated().map { index, transaction in
            var location = CanonicalWriter()
            location.write(height)
            location.write(UInt32(index))
            location.write(results[index])
            return (id: transaction.id(hash: hash), value: location.bytes)
        }
        for (id, value) in locations.sorted(by: { $0.id < $1.id }) {
            batch.put(id.bytes, value, column: LedgerColumn.transactions)
        }
        if block.header.nextValidatorSetHash != block.header.validatorSetHash {
            batch.put(LedgerKey.handOff(height), [], column: LedgerColumn.meta)
        }
        add(prepared, to: &batch)
        batch.put(LedgerKey.committedHeight, LedgerKey.height(height), column: LedgerColumn.meta)
        try write(batch)
        cache(prepared)
        // With a retention setting, prune every 100 heights so the cost is spread and batched.
        if let retainedVersions, height > retainedVersions, height % 100 == 0 {
            try prune(below: height - retainedVersions + 1)
        }
    }

    /// The nodes just written are the ones the next version reads first.
    private func cache(_ prepared: PreparedState) {
        for (key, node) in prepared.treeUpdate.newNodes { nodeCache.insert(key, node) }
    }

    /// Adds a prepared state version to a batch: tree nodes, stale markers, values, and the root — each group
    /// in key order (see `commit`).
    private func add(_ prepared: PreparedState, to batch: inout RocksDBWriteBatch) {
        let version = prepared.height
        let nodes = prepared.treeUpdate.newNodes.map { (key: $0.0.encoded, value: $0.1.canonicalBytes) }
        for (key, node) in nodes.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            batch.put(key, node, column: LedgerColumn.treeNodes)
        }
        // One marker per version listing every node it made stale (not one per node: each RocksDB put
        // costs a memtable insertion, and a version makes thousands of nodes stale).
        if !prepared.treeUpdate.staleNodes.isEmpty {
            batch.put(
                LedgerKey.height(version),
                prepared.treeUpdate.staleNodes.flatMap(\.encoded),
                column: LedgerColumn.treeStale
            )
        }
        let writes = prepared.writes.sorted { $0.key < $1.key }
        for write in writes {
            batch.put(LedgerKey.value(write.key, version: version), write.value, column: LedgerColumn.values)
        }
        for write in writes { batch.put(write.key.bytes, LedgerKey.height(version), column: LedgerColumn.latest) }
        if !prepared.supersededValues.isEmpty {
            batch.put(
                LedgerKey.height(version),
                prepared.supersededValues.flatMap { $0 },
                column: LedgerColumn.valueStale
            )
        }
        var root = CanonicalWriter()
        root.write(prepared.treeUpdate.root)
        batch.put(LedgerKey.root(version), root.bytes, column: LedgerColumn.meta)
    }

    // MARK: - Reading

    public func block(at height: UInt64) throws(LedgerStoreError) -> Block? {
        try decode(Block.self, LedgerKey.height(height), LedgerColumn.blocks)
    }

    public func certificate(at height: UInt64) throws(LedgerStoreError) -> CommitCertificate? {
        try decode(CommitCertificate.self, LedgerKey.height(height), LedgerColumn.commits)
    }

    /// Where a committed transaction is: its height, index in the block, and result.
    public func transactionLocation(_ id: Digest) throws(LedgerStoreError) -> TransactionLocation? {
        try decode(TransactionLocation.self, id.bytes, LedgerColumn.transactions)
    }

    /// The value of a state key as of `height` (the newest version at or below it).
    public func value(at key: Digest, height: UInt64) throws(LedgerStoreError) -> [UInt8]? {
        try requireRetained(height)
        guard let latest = try latestVersion(key) else { return nil }
        if latest <= height { return try get(LedgerKey.value(key, version: latest), LedgerColumn.values) }
        guard let stored = try latestValueKey(key, height: height) else { return nil }
        return try get(stored, LedgerColumn.values)
    }

    /// The version of the newest value of `key`, if it has one.
    private func latestVersion(_ key: Digest) throws(LedgerStoreError) -> UInt64? {
        guard let bytes = try get(key.bytes, LedgerColumn.latest) else { return nil }
        guard let version = LedgerKey.decodeHeight(bytes) else {
            throw .corrupt("latest version of \(key.hex) is not 8 bytes")
        }
        return version
    }

    /// The `state_values` key of the newest version of `key` at or below `height`.
    private func latestValueKey(_ key: Digest, height: UInt64) throws(LedgerStoreError) -> [UInt8]? {
        var found: [UInt8]?
        let range = RocksDBKeyRange(
            start: LedgerKey.value(key, version: height),
            end: RocksDBKeyRange.prefix(key.bytes).end
        )
        try scan(range, LedgerColumn.values) { stored, _ in
            found = stored
            return false
        }
        return found
    }

    /// A reader of the state as of `height`, for the executor and queries.
    public func state(at height: UInt64) -> LedgerStateView { LedgerStateView(store: self, height: height) }

    /// The value of `key` at `height` and the proof of it (or of its absence) against that height's root.
    public func prove(key: Digest, height: UInt64) throws(LedgerStoreError) -> (value: [UInt8]?, proof: StateProof) {
        try requireRetained(height)
        let root = try rootChild(at: height)
        let stored = try value(at: key, height: height)
        do {
            return (stored, try tree.prove(key: key, root: root, reader: self))
        } catch {
            throw .corrupt(error.message)
        }
    }

    // MARK: - Pruning

    /// Deletes the tree nodes and values that only versions below `height` need; versions from `height`
    /// on stay readable and provable.
    public func prune(below height: UInt64) throws(LedgerStoreError) {
        var batch = RocksDBWriteBatch()
        var malformed = false
        let staleUpTo = RocksDBKeyRange(start: nil, end: LedgerKey.height(height + 1))
        for (column, target, size) in [
            (LedgerColumn.treeStale, LedgerColumn.treeNodes, TreeNodeKey.encodedSize),
            (LedgerColumn.valueStale, LedgerColumn.values, Digest.byteCount + 8),
        ] {
            try scan(staleUpTo, column) { marker, list in
                guard list.count % size == 0 else {
                    malformed = true
                    return false
                }
                for start in stride(from: 0, to: list.count, by: size) {
                    batch.delete(Array(list[start..<start + size]), column: target)
                }
                batch.delete(marker, column: column)
                return true
            }
        }
        guard !malformed else { throw .corrupt("a stale-marker list is not a whole number of keys") }
        batch.put(LedgerKey.prunedBelow, LedgerKey.height(height), column: LedgerColumn.meta)
        try write(batch)
    }

    // MARK: - Helpers

    /// Refuses reads of a state version that pruning removed (its nodes may linger in the cache, its values
    /// do not: answering would be half right).
    func requireRetained(_ height: UInt64) throws(LedgerStoreError) {
        guard let bytes = try get(LedgerKey.prunedBelow, LedgerColumn.meta) else { return }
        guard let keptFrom = LedgerKey.decodeHeight(bytes) else { throw .corrupt("pruned_below is not 8 bytes") }
        guard height >= keptFrom else { throw .versionPruned(height: height, keptFrom: keptFrom) }
    }

    /// The root of the state tree after `height`. A root is written in the same atomic batch as its block and
    /// the committed height, and never deleted, so a missing root is corruption only at a committed height. A
    /// root missed just before a concurrent commit wrote it is read again once the committed height says it
    /// exists (a reader racing block sync once called such a height corrupt).
    func rootChild(at height: UInt64) throws(LedgerStoreError) -> TreeChild? {
        var stored = try get(LedgerKey.root(height), LedgerColumn.meta)
        if stored == nil {
            let committed = try committedHeight()
            guard height <= committed else { throw .notCommitted(height: height, committed: committed) }
            stored = try get(LedgerKey.root(height), LedgerColumn.meta)
        }
        guard let bytes = stored else { throw .corrupt("no state root recorded for committed height \(height)") }
        var reader = CanonicalReader(bytes)
        do {
            let child = try reader.readOptional(TreeChild.self)
            try reader.finish()
            return child
        } catch {
            throw .corrupt("state root of height \(height): \(error)")
        }
    }

    /// Calls `body` with each key and value in `range` until it returns false.
    func scan(
        _ range: RocksDBKeyRange,
        _ column: String,
        _ body: ([UInt8], [UInt8]) -> Bool
    ) throws(LedgerStoreError) {
        do {
            try database.forEach(in: range, column: column) { key, value in body(key, value) }
        } catch let error as RocksDBError {
            throw .database(error)
        } catch {
            throw .corrupt("\(error)")
        }
    }

    private func get(_ key: [UInt8], _ column: String) throws(LedgerStoreError) -> [UInt8]? {
        do {
            return try database.get(key, column: column)
        } catch {
            throw .database(error)
        }
    }

    private func decode<T: CanonicalDecodable>(
        _ type: T.Type,
        _ key: [UInt8],
        _ column: String
    ) throws(LedgerStoreError) -> T? {
        guard let bytes = try get(key, column) else { return nil }
        do {
            return try T(canonicalBytes: bytes)
        } catch {
            throw .corrupt("\(T.self) in \(column): \(error)")
        }
    }

    private func write(_ batch: RocksDBWriteBatch) throws(LedgerStoreError) {
        do {
            try database.write(batch, sync: true)
        } catch {
            throw .database(error)
        }
    }
}

extension RocksDBLedgerStore: TreeNodeReader {
    public func node(_ key: TreeNodeKey) throws(StateReadError) -> TreeNode? {
        if let cached = nodeCache.node(key) { return cached }
        do {
            guard let bytes = try database.get(key.encoded, column: LedgerColumn.treeNodes) else { return nil }
            let node = try TreeNode(canonicalBytes: bytes)
            nodeCache.insert(key, node)
            return node
        } catch {
            throw StateReadError("tree node \(key.depth)@\(key.version): \(error)")
        }
    }
}

/// The state tree update and value writes of one block, computed before the block is committed.
public struct PreparedState: Sendable {
    public let height: UInt64
    public let writes: [StateWrite]
    public let treeUpdate: TreeUpdate
    /// `state_values` keys of the versions these writes replace, marked stale for pruning.
    let supersededValues: [[UInt8]]

    public var rootHash: Digest { treeUpdate.rootHash }
}

/// The state as of one height, read from the store.
public struct LedgerStateView: StateReader {
    let store: RocksDBLedgerStore
    public let height: UInt64

    public func value(at key: Digest) throws(StateReadError) -> [UInt8]? {
        do {
            return try store.value(at: key, height: height)
        } catch {
            throw StateReadError(error.description)
        }
    }
}

extension RocksDBLedgerStore: LedgerReader {
    public var hashFunction: any HashFunction { hash }

    public func latestHeight() throws(StateReadError) -> UInt64 {
        do { return try committedHeight() } catch { throw StateReadError(error.description) }
    }

    public func block(atHeight height: UInt64) throws(StateReadError) -> Block? {
        do { return try block(at: height) } catch { throw StateReadError(error.description) }
    }

    public func locateTransaction(_ id: Digest) throws(StateReadError) -> TransactionLocation? {
        do { return try transactionLocation(id) } catch { throw StateReadError(error.description) }
    }

    public func provenValue(key: Digest, height: UInt64) throws(StateReadError) -> (value: [UInt8]?, proof: StateProof)
    {
        do { return try prove(key: key, height: height) } catch { throw StateReadError(error.description) }
    }
}
