import LedgerCore
import LedgerCrypto

extension BlockHeader {
    /// This header with the given fields changed and every other kept, for tests that tamper with or forge one.
    public func changing(
        chainID: ChainID? = nil,
        height: UInt64? = nil,
        time: UInt64? = nil,
        previousBlockHash: Digest? = nil,
        transactionsRoot: Digest? = nil,
        transactionCount: UInt32? = nil,
        stateRoot: Digest? = nil,
        resultsRoot: Digest? = nil,
        evidenceRoot: Digest? = nil,
        validatorSetHash: Digest? = nil,
        nextValidatorSetHash: Digest? = nil,
        lastCommitHash: Digest? = nil,
        proposer: OrgID? = nil
    ) -> BlockHeader {
        BlockHeader(
            chainID: chainID ?? self.chainID,
            height: height ?? self.height,
            time: time ?? self.time,
            previousBlockHash: previousBlockHash ?? self.previousBlockHash,
            transactionsRoot: transactionsRoot ?? self.transactionsRoot,
            transactionCount: transactionCount ?? self.transactionCount,
            stateRoot: stateRoot ?? self.stateRoot,
            resultsRoot: resultsRoot ?? self.resultsRoot,
            evidenceRoot: evidenceRoot ?? self.evidenceRoot,
            validatorSetHash: validatorSetHash ?? self.validatorSetHash,
            nextValidatorSetHash: nextValidatorSetHash ?? self.nextValidatorSetHash,
            lastCommitHash: lastCommitHash ?? self.lastCommitHash,
            proposer: proposer ?? self.proposer
        )
    }
}
