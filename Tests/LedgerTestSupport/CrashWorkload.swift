import LedgerCore
import LedgerCrypto
import Storage

/// The deterministic block contents the crash test writes: the same transactions for the same height on
/// every run, so each height has one correct state root.
public enum CrashWorkload {
    public static let transactionsPerBlock = 20

    /// Certificate anchors from Guangdong and donations to a project, signed with the sequence numbers the
    /// given state expects.
    public static func transactions(
        forHeight height: UInt64,
        fixture: LedgerFixture,
        state: some StateReader
    ) throws
        -> [SignedTransaction]
    {
        var result: [SignedTransaction] = []
        for (id, count) in [(LedgerFixture.guangdong, transactionsPerBlock - 2), (LedgerFixture.charity, 2)] {
            let key = fixture.keys[id]!
            let account = try state.value(at: fixture.stateKeys.account(key.publicKey.bytes))
                .map { try AccountRecord(canonicalBytes: $0) }
            var sequence = account?.nextSequence ?? 0
            for index in 0..<count {
                let payload =
                    id == LedgerFixture.charity
                    ? Payloads.donation("crash-fund", height * 10 + UInt64(index))
                    : Payloads.anchor("h\(height)-\(index)")
                let transaction = Transaction(
                    chainID: fixture.genesis.chainID,
                    sender: key.publicKey.bytes,
                    sequence: sequence,
                    payload: payload
                )
                result.append(try SignedTransaction(signing: transaction, with: key, for: fixture.genesis.network))
                sequence += 1
            }
        }
        return result
    }

    /// Builds, executes and commits the workload's next block on `store`; returns it with its results.
    @discardableResult
    public static func commitNextBlock(
        _ store: RocksDBLedgerStore,
        fixture: LedgerFixture
    ) throws -> (Block, [TransactionResult]) {
        let parent = try store.committedHeight()
        let (block, results, prepared) = try store.buildNextBlock(
            try transactions(forHeight: parent + 1, fixture: fixture, state: store.state(at: parent)),
            executor: fixture.executor,
            time: 1_795_478_400 + parent + 1,
            proposer: LedgerFixture.guangdong,
            lastCommit: nil
        )
        try store.commit(block, certificate: nil, results: results, state: prepared)
        return (block, results)
    }
}
