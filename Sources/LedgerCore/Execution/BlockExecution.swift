import LedgerCrypto

/// Where and when a block executes.
public struct BlockContext: Sendable {
    public let height: UInt64
    /// The block's time, seconds since 1970 (from the header, agreed by consensus).
    public let time: UInt64

    public init(height: UInt64, time: UInt64) {
        self.height = height
        self.time = time
    }
}

/// The outcome of executing a block: one result per transaction, in order, and the state writes to commit.
public struct BlockExecution: Sendable {
    public let transactionIDs: [Digest]
    public let results: [TransactionResult]
    /// In key order: identical on every node that executes the same block on the same state.
    public let writes: [StateWrite]
}
