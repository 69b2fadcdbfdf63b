import LedgerCore
import LedgerCrypto
import Storage

/// Blocks with real commit certificates, signed by the fixture's validators: what block sync serves.
public enum CertifiedChain {
    /// A certificate for `block` signed by the validators at `signers` (indices in the fixture's set).
    public static func certificate(
        for block: Block,
        fixture: LedgerFixture,
        signers: [Int]? = nil,
        round: UInt32 = 0
    ) throws -> CommitCertificate {
        let validators = try ValidatorSet.load(from: fixture.state, keys: fixture.stateKeys)
        return try certificate(
            for: block.header,
            validators: validators,
            fixture: fixture,
            signers: signers,
            round: round
        )
    }

    /// A certificate for `header` signed by the members of `validators` at `signers` (default: all), with
    /// the fixture's consensus keys.
    public static func certificate(
        for header: BlockHeader,
        validators: ValidatorSet,
        fixture: LedgerFixture,
        signers: [Int]? = nil,
        round: UInt32 = 0
    ) throws -> CommitCertificate {
        let blockHash = header.hash(fixture.suite.hashFunction)
        let signatures = try (signers ?? Array(validators.validators.indices)).map { index in
            let vote = Vote(
                type: .precommit,
                height: header.height,
                round: round,
                blockHash: blockHash,
                validatorIndex: UInt16(index)
            )
            let key = LedgerFixture.key("consensus " + validators.validators[index].id.value, suite: fixture.suite)
            return CommitCertificate.Signature(
                validatorIndex: UInt16(index),
                signature: try fixture.suite.sign(vote.signedBytes(network: fixture.genesis.network), with: key)
            )
        }
        return CommitCertificate(height: header.height, round: round, blockHash: blockHash, signatures: signatures)
    }

    /// Commits `count` workload blocks to `store`, each with a certificate from every validator.
    public static func commit(_ count: Int, to store: RocksDBLedgerStore, fixture: LedgerFixture) throws {
        var lastCommit: CommitCertificate? = try store.certificate(at: try store.committedHeight())
        for _ in 0..<count {
            let parent = try store.committedHeight()
            let (block, results, prepared) = try store.buildNextBlock(
                try CrashWorkload.transactions(forHeight: parent + 1, fixture: fixture, state: store.state(at: parent)),
                executor: fixture.executor,
                time: 1_795_478_400 + parent + 1,
                proposer: LedgerFixture.guangdong,
                lastCommit: lastCommit
            )
            let certificate = try certificate(for: block, fixture: fixture)
            try store.commit(block, certificate: certificate, results: results, state: prepared)
            lastCommit = certificate
        }
    }
}
