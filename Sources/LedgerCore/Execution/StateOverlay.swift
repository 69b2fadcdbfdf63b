import LedgerCrypto

/// Writes buffered over a `StateReader` while a block executes, in two layers: the block's accepted writes,
/// and the current transaction's pending writes, which are kept or dropped whole when the transaction is
/// accepted or rejected.
struct StateOverlay<Base: StateReader> {
    let base: Base
    private var accepted: [Digest: [UInt8]] = [:]
    private var pending: [Digest: [UInt8]] = [:]

    init(base: Base) {
        self.base = base
    }

    func bytes(at key: Digest) throws(ExecutionError) -> [UInt8]? {
        if let value = pending[key] ?? accepted[key] { return value }
        do {
            return try base.value(at: key)
        } catch {
            throw ExecutionError.stateUnreadable(error.message)
        }
    }

    /// Reads and decodes a record. A record that does not decode means the state is corrupt: the block
    /// cannot be executed, so this throws rather than rejecting the transaction.
    func read<T: CanonicalDecodable>(_ type: T.Type, at key: Digest) throws(ExecutionError) -> T? {
        guard let bytes = try bytes(at: key) else { return nil }
        do {
            return try T(canonicalBytes: bytes)
        } catch {
            throw ExecutionError.corruptRecord(key: key, type: "\(T.self)", reason: error.description)
        }
    }

    mutating func write(_ value: some CanonicalEncodable, at key: Digest) {
        pending[key] = value.canonicalBytes
    }

    /// Keeps the current transaction's writes.
    mutating func accept() {
        accepted.merge(pending) { _, new in new }
        pending.removeAll(keepingCapacity: true)
    }

    /// Drops the current transaction's writes.
    mutating func discard() {
        pending.removeAll(keepingCapacity: true)
    }

    /// The block's writes, in key order so every node produces them identically.
    var writes: [StateWrite] {
        accepted.map { StateWrite(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }
}

/// Execution could not finish: the state is unreadable or corrupt. Never caused by a transaction's
/// content — a bad transaction is rejected with a `RejectionReason` instead.
public enum ExecutionError: Error, Sendable, Equatable, CustomStringConvertible {
    case stateUnreadable(String)
    case corruptRecord(key: Digest, type: String, reason: String)

    public var description: String {
        switch self {
        case .stateUnreadable(let message): return "state unreadable: \(message)"
        case .corruptRecord(let key, let type, let reason): return "corrupt \(type) at \(key.hex): \(reason)"
        }
    }
}
