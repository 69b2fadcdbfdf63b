import LedgerCore
import LedgerCrypto

/// Building the next block from transactions: execute on the committed state, prepare the state update,
/// and fill in the header. Used by proposers, by block sync to re-check a block, and by tests.
extension RocksDBLedgerStore {
    /// The next block over the committed state, with its results and prepared state.
    public func buildNextBlock(
        _ transactions: [SignedTransaction],
        executor: Executor,
        time: UInt64,
        proposer: OrgID,
        lastCommit: CommitCertificate?,
        evidence: [Equivocation] = [],
        verifiedIDs: Set<Digest> = []
    ) throws(LedgerStoreError) -> (block: Block, results: [TransactionResult], state: PreparedState) {
        let parent = try committedHeight()
        let height = parent + 1
        let before = state(at: parent)
        let execution: BlockExecution
        do {
            execution = try executor.execute(
                transactions,
                context: BlockContext(height: height, time: time),
                state: before,
                verifiedIDs: verifiedIDs
            )
        } catch {
            throw .corrupt(error.description)
        }
        let rules = executor.rules
        let afterTransactions = InMemoryOverlayState(base: before, writes: execution.writes)
        // Evidence (SPEC §8) is committed after the transactions, each piece checked against V(its height).
        let evidenceWrites: [StateWrite]
        do {
            evidenceWrites = try EvidenceExecution.writes(
                evidence,
                height: height,
                rules: rules,
                state: afterTransactions
            ) { (evidenceHeight) throws(EvidenceError) -> ValidatorSet in
                try evidenceValidators(evidenceHeight, rules: rules)
            }
        } catch {
            throw .invalidEvidence(error)
        }
        let writes = Self.merge(execution.writes, evidenceWrites)
        let prepared = try prepare(writes: writes, height: height)
        // Only the (few) evidence writes are layered on: the transactions' overlay is not built twice.
        let after = InMemoryOverlayState(base: afterTransactions, writes: evidenceWrites)
        // SPEC §1: V(h) and V(h + 1) come from the states d blocks earlier; with d = 1, V(h + 1) is this
        // block's own result.
        let validators = try validatorSet(at: rules.validatorSetVersion(forHeight: height), rules: rules)
        let nextVersion = rules.validatorSetVersion(forHeight: height + 1)
        let nextValidators =
            nextVersion == height
            ? try Self.load(after, rules: rules) : try validatorSet(at: nextVersion, rules: rules)
        let previousHash = try block(at: parent)?.header.hash(hash) ?? .zero
        let header = BlockHeader(
            chainID: executor.rules.chainID,
            height: height,
            time: time,
            previousBlockHash: previousHash,
            transactionsRoot: Block.transactionsRoot(transactions, hash: hash),
            transactionCount: UInt32(transactions.count),
            stateRoot: prepared.rootHash,
            resultsRoot: Block.resultsRoot(execution.results, hash: hash),
            evidenceRoot: Block.evidenceRoot(evidence, hash: hash),
            validatorSetHash: validators.hash(hash),
            nextValidatorSetHash: nextValidators.hash(hash),
            lastCommitHash: lastCommit?.hash(hash) ?? .zero,
            proposer: proposer
        )
        return (
            Block(header: header, transactions: transactions, evidence: evidence, lastCommit: lastCommit),
            execution.results, prepared
        )
    }

    /// V(height) for checking evidence of that height.
    private func evidenceValidators(_ height: UInt64, rules: LedgerRules) throws(EvidenceError) -> ValidatorSet {
        do {
            return try validatorSet(at: rules.validatorSetVersion(forHeight: height), rules: rules)
        } catch {
            throw .validatorSetUnavailable(height: height, reason: error.description)
        }
    }

    /// Two key-ordered write lists with disjoint keys, as one key-ordered list.
    static func merge(_ first: [StateWrite], _ second: [StateWrite]) -> [StateWrite] {
        second.isEmpty ? first : (first + second).sorted { $0.key < $1.key }
    }
}

extension RocksDBLedgerStore {
    /// The validators of the committed state version `version` (see `LedgerRules.validatorSetVersion`).
    public func validatorSet(at version: UInt64, rules: LedgerRules) throws(LedgerStoreError) -> ValidatorSet {
        guard version <= (try committedHeight()) else {
            throw .corrupt("validator set of version \(version) asked before it was committed")
        }
        try requireRetained(version)
        return try Self.load(state(at: version), rules: rules)
    }

    static func load(_ state: some StateReader, rules: LedgerRules) throws(LedgerStoreError) -> ValidatorSet {
        do { return try ValidatorSet.load(from: state, keys: rules.keys) } catch { throw .corrupt(error.description) }
    }
}

/// A state reader that sees `writes` over `base`: the state right after a block, before it is stored.
struct InMemoryOverlayState<Base: StateReader>: StateReader {
    let base: Base
    let values: [Digest: [UInt8]]

    init(base: Base, writes: [StateWrite]) {
        self.base = base
        values = Dictionary(writes.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    func value(at key: Digest) throws(StateReadError) -> [UInt8]? {
        if let value = values[key] { return value }
        return try base.value(at: key)
    }
}
