import LedgerCrypto

/// Read access to the ledger state as of the last committed block: record bytes by 256-bit state key.
/// `Storage` implements it over the persisted state tree; `InMemoryState` is the twin for tests and the
/// simulator.
public protocol StateReader {
    func value(at key: Digest) throws(StateReadError) -> [UInt8]?
}

/// The state could not be read (a storage failure, not a rule decision): the block cannot be executed.
public struct StateReadError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A state held in a dictionary.
public struct InMemoryState: StateReader, Sendable {
    public private(set) var values: [Digest: [UInt8]]

    public init(values: [Digest: [UInt8]] = [:]) {
        self.values = values
    }

    public func value(at key: Digest) throws(StateReadError) -> [UInt8]? { values[key] }

    /// Applies a block's writes.
    public mutating func apply(_ writes: [StateWrite]) {
        for write in writes { values[write.key] = write.value }
    }
}

/// One record written by a block: its key and its new canonical bytes.
public struct StateWrite: Hashable, Sendable {
    public let key: Digest
    public let value: [UInt8]

    public init(key: Digest, value: [UInt8]) {
        self.key = key
        self.value = value
    }
}
