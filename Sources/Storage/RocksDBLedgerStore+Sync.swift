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

    /// Executes a block someone else built on the committed state and checks that its header is exactly what
    /// execution gives (consensus validation of a proposal, and block sync). Returns what `commit` needs.
    /// `verifiedIDs` names transactions whose signatures the mempool already checked.
    public func execute(
        _ block: Block,
        executor: Executor,
        verifiedIDs: Set<Digest> = []
    ) throws(LedgerStoreError) -> (results: [TransactionResult], state: PreparedState) {
        let height = try committedHeight() + 1
        guard block.header.height == height else { throw .wrongHeight(expected: height, got: block.header.height) }
        let built = try buildNextBlock(
            block.transactions,
            executor: executor,
            time: block.header.time,
            proposer: block.header.proposer,
            lastCommit: nil,
            evidence: block.evidence,
            verifiedIDs: verifiedIDs
        )
        // The previous certificate is the proposer's copy (any >2/3 subset), so its hash is taken as given;
        // everything else must be exactly what this node computes.
        let differences = Self.differences(built.block.header, block.header)
        guard differences.isEmpty else { throw .blockMismatch(differences.joined(separator: ", ")) }
        return (built.results, built.state)
    }

    /// Names of the header fields, other than the last commit's hash, in which `computed` and `given` differ.
    static func differences(_ computed: BlockHeader, _ given: BlockHeader) -> [String] {
        let fields: [(String, Bool)] = [
            ("chain id", computed.chainID == given.chainID),
            ("previous block hash", computed.previousBlockHash == given.previousBlockHash),
            ("transactions root", computed.transactionsRoot == given.transactionsRoot),
            ("transaction count", computed.transactionCount == given.transactionCount),
            ("state root", computed.stateRoot == given.stateRoot),
            ("results root", computed.resultsRoot == given.resultsRoot),
            ("evidence root", computed.evidenceRoot == given.evidenceRoot),
            ("validator set hash", computed.validatorSetHash == given.validatorSetHash),
            ("next validator set hash", computed.nextValidatorSetHash == given.nextValidatorSetHash),
        ]
        return fields.filter { !$0.1 }.map(\.0)
    }
}
