import LedgerCrypto

/// Remembers what a `StateReader` returned, so a key read many times — a sender's account and member record,
/// once per transaction of a block or an admission batch — costs one read of the base. The base must not
/// change while this is in use (a committed state view does not). For one thread at a time: a block's
/// execution or one admission batch.
public final class CachedStateReader<Base: StateReader>: StateReader {
    public let base: Base
    private var values: [Digest: [UInt8]?] = [:]

    public init(_ base: Base) {
        self.base = base
    }

    public func value(at key: Digest) throws(StateReadError) -> [UInt8]? {
        if let known = values[key] { return known }
        let value = try base.value(at: key)
        values[key] = .some(value)
        return value
    }
}
