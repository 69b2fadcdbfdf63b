import LedgerCore
import LedgerCrypto

/// Block sync (`Consensus/SPEC.md` §11, `docs/network.md` "Block sync"): a block received from a peer is
/// trusted for nothing. Its certificate is checked against the validator set this node derives itself, the
/// block is executed on the committed state, and every header field execution determines must match.
extension RocksDBLedgerStore {
    /// Verifies and commits the next block with its commit certificate.
    public func commitSynced(
        _ block: Block,
        certificate: CommitCertificate,
        executor: Executor
    ) throws(LedgerStoreError) {
        let rules = executor.rules
        let height = try committedHeight() + 1
        guard block.header.height == height else { throw .wrongHeight(expected: height, got: block.header.height) }
        let blockHash = block.header.hash(hash)
        let validators = try validatorSet(at: rules.validatorSetVersion(forHeight: height), rules: rules)
        do {
            try certificate.verify(
                blockHash: blockHash,
                height: height,
                validators: validators,
                network: rules.network,
                suite: rules.suite
            )
        } catch {
            throw .invalidCertificate(error)
        }
        let (results, state) = try execute(block, executor: executor)
        try commit(block, certificate: certificate, results: results, state: state)
    }

    /// Executes a block someone else built on the committed state and checks that it is exactly the block
    /// this node builds from the same inputs (consensus validation of a proposal, and block sync; SPEC §4
    /// "Valid"). Returns what `commit` needs. `verifiedIDs` names transactions whose signatures the mempool
    /// already checked.
    ///
    /// The inputs a proposer chooses are checked first — its last commit is a certificate this node verifies
    /// for the committed previous block, its time does not go back, its proposer is a validator of V(h) —
    /// then the whole block, header included, is compared with `==`: a field added to the header later is
    /// checked without anyone remembering to. Which validator may be named as proposer, and how far ahead of
    /// the clock a time may be, depend on the round and the clock: `ConsensusNode` checks those before this.
    public func execute(
        _ block: Block,
        executor: Executor,
        verifiedIDs: Set<Digest> = []
    ) throws(LedgerStoreError) -> (results: [TransactionResult], state: PreparedState) {
        let rules = executor.rules
        let parentHeight = try committedHeight()
        let height = parentHeight + 1
        guard block.header.height == height else { throw .wrongHeight(expected: height, got: block.header.height) }
        let parent = try self.block(at: parentHeight)
        try checkLastCommit(block.lastCommit, parent: parent, rules: rules)
        let parentTime = parent?.header.time ?? rules.genesisTime
        guard block.header.time >= parentTime else {
            throw .blockMismatch("time \(block.header.time) is before the previous block's, \(parentTime)")
        }
        let validators = try validatorSet(at: rules.validatorSetVersion(forHeight: height), rules: rules)
        guard validators.validators.contains(where: { $0.id == block.header.proposer }) else {
            throw .blockMismatch("proposer \(block.header.proposer) is not a validator of height \(height)")
        }
        let built = try buildNextBlock(
            block.transactions,
            executor: executor,
            time: block.header.time,
            proposer: block.header.proposer,
            lastCommit: block.lastCommit,
            evidence: block.evidence,
            verifiedIDs: verifiedIDs
        )
        guard built.block == block else {
            let fields = Self.differences(built.block.header, block.header).joined(separator: ", ")
            throw .blockMismatch("executing it gives another block (\(fields) differ)")
        }
        return (built.results, built.state)
    }

    /// The previous block's commit certificate a block carries: none at height 1; otherwise one that makes
    /// the committed previous block final under V(h − 1) (SPEC §7) — any quorum of its precommits, so not
    /// necessarily the one this node stored.
    private func checkLastCommit(
        _ certificate: CommitCertificate?,
        parent: Block?,
        rules: LedgerRules
    ) throws(LedgerStoreError) {
        guard let parent else {
            guard certificate == nil else { throw .blockMismatch("block 1 carries a last commit") }
            return
        }
        guard let certificate else { throw .blockMismatch("the block carries no commit of its previous block") }
        let parentHeight = parent.header.height
        let validators = try validatorSet(at: rules.validatorSetVersion(forHeight: parentHeight), rules: rules)
        do {
            try certificate.verify(
                blockHash: parent.header.hash(hash),
                height: parentHeight,
                validators: validators,
                network: rules.network,
                suite: rules.suite
            )
        } catch {
            throw .blockMismatch("last commit: \(error)")
        }
    }

    /// For the error only (the check is `==` on whole blocks): the labels of the header's stored properties
    /// that differ, or "transactions, evidence or last commit" when the headers agree.
    static func differences(_ computed: BlockHeader, _ given: BlockHeader) -> [String] {
        let fields = zip(Mirror(reflecting: computed).children, Mirror(reflecting: given).children).compactMap {
            computed,
            given in
            String(describing: computed.value) == String(describing: given.value) ? nil : computed.label ?? "?"
        }
        return fields.isEmpty ? ["transactions, evidence or last commit"] : fields
    }
}
