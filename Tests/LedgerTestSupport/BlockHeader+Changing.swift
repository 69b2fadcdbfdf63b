import LedgerCore
import LedgerCrypto

extension BlockHeader {
    /// This header with the given fields changed and every other kept, for tests that tamper with or forge one.
    public func changing(
        height: UInt64? = nil,
        time: UInt64? = nil,
        transactionsRoot: Digest? = nil,
        transactionCount: UInt32? = nil,
        stateRoot: Digest? = nil
    ) -> BlockHeader {
        BlockHeader(
            chainID: chainID,
            height: height ?? self.height,
            time: time ?? self.time,
            previousBlockHash: previousBlockHash,
            transactionsRoot: transactionsRoot ?? self.transactionsRoot,
            transactionCount: transactionCount ?? self.transactionCount,
            stateRoot: stateRoot ?? self.stateRoot,
            resultsRoot: resultsRoot,
            evidenceRoot: evidenceRoot,
            validatorSetHash: validatorSetHash,
            nextValidatorSetHash: nextValidatorSetHash,
            lastCommitHash: lastCommitHash,
            proposer: proposer
        )
    }
}
