import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing

/// Issue 16, point 7: a validator checks every field of a proposed block before it prevotes for it
/// (`RocksDBLedgerStore.execute`; SPEC §4 "Valid"). An invalid block is answered `valid: false` and the engine
/// prevotes nil for it (`ConsensusStateMachineTests.invalidProposalIsNotDecided`). Before, the proposer's
/// `proposer` and `lastCommitHash` were copied into the expected header unchecked.
struct BlockValidationTests {
    let fixture = LedgerFixture()
    let directory = TemporaryDirectory()

    /// A store at height 2, and the honest block 3 with the certificate of block 2 it carries.
    func honestBlock() throws -> (store: RocksDBLedgerStore, block: Block) {
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        try CertifiedChain.commit(2, to: store, fixture: fixture)
        let (block, _, _) = try store.buildNextBlock(
            try CrashWorkload.transactions(forHeight: 3, fixture: fixture, state: store.state(at: 2)),
            executor: fixture.executor,
            time: 1_795_478_403,
            proposer: LedgerFixture.guangdong,
            lastCommit: try store.certificate(at: 2)
        )
        return (store, block)
    }

    /// Expects `execute` to refuse `block` with an error whose description contains `reason`.
    func expectRefused(_ block: Block, by store: RocksDBLedgerStore, _ reason: String, _ what: String) {
        do {
            _ = try store.execute(block, executor: fixture.executor)
            Issue.record("a block lying in \(what) was accepted")
        } catch {
            #expect(error.description.contains(reason), "\(what): \(error)")
        }
    }

    @Test func theHonestBlockIsValid() throws {
        let (store, block) = try honestBlock()
        _ = try store.execute(block, executor: fixture.executor)
        // Any later time is the proposer's to choose, within the clock bound its peers check.
        let later = Block(
            header: block.header.changing(time: block.header.time + 5),
            transactions: block.transactions,
            lastCommit: block.lastCommit
        )
        _ = try store.execute(later, executor: fixture.executor)
    }

    @Test func aLieInAnyHeaderFieldIsRefused() throws {
        let (store, block) = try honestBlock()
        let header = block.header
        let parentTime = try #require(try store.block(at: 2)).header.time
        let lies: [(field: String, header: BlockHeader, reason: String)] = [
            ("chainID", header.changing(chainID: ChainID("another-chain")!), "chainID differ"),
            ("height", header.changing(height: 4), "expected block 3, got 4"),
            ("time", header.changing(time: parentTime - 1), "before the previous block's"),
            ("previousBlockHash", header.changing(previousBlockHash: .of("elsewhere")), "previousBlockHash differ"),
            ("transactionsRoot", header.changing(transactionsRoot: .of("t")), "transactionsRoot differ"),
            ("transactionCount", header.changing(transactionCount: 1), "transactionCount differ"),
            ("stateRoot", header.changing(stateRoot: .of("s")), "stateRoot differ"),
            ("resultsRoot", header.changing(resultsRoot: .of("r")), "resultsRoot differ"),
            ("evidenceRoot", header.changing(evidenceRoot: .of("e")), "evidenceRoot differ"),
            ("validatorSetHash", header.changing(validatorSetHash: .of("v")), "validatorSetHash differ"),
            ("nextValidatorSetHash", header.changing(nextValidatorSetHash: .of("n")), "nextValidatorSetHash differ"),
            ("lastCommitHash", header.changing(lastCommitHash: .of("c")), "lastCommitHash differ"),
            ("proposer", header.changing(proposer: LedgerFixture.charity), "is not a validator of height 3"),
        ]
        // Every stored field of the header has its lie here: a field added later fails this until it has one.
        #expect(Mirror(reflecting: header).children.compactMap(\.label) == lies.map(\.field))
        for lie in lies {
            let forged = Block(
                header: lie.header,
                transactions: block.transactions,
                evidence: block.evidence,
                lastCommit: block.lastCommit
            )
            expectRefused(forged, by: store, lie.reason, lie.field)
        }
        #expect(try store.committedHeight() == 2)
    }

    /// The last commit a block carries is verified, not taken as given: any quorum of precommits for the
    /// committed previous block will do, and nothing else.
    @Test func theLastCommitIsVerified() throws {
        let (store, block) = try honestBlock()
        let parent = try #require(try store.block(at: 2))
        func carrying(_ certificate: CommitCertificate?) -> Block {
            let hash = certificate?.hash(fixture.suite.hashFunction) ?? .zero
            return Block(
                header: block.header.changing(lastCommitHash: hash),
                transactions: block.transactions,
                lastCommit: certificate
            )
        }
        expectRefused(carrying(nil), by: store, "carries no commit of its previous block", "a missing last commit")
        let weak = try CertifiedChain.certificate(for: parent, fixture: fixture, signers: [0, 1])
        expectRefused(carrying(weak), by: store, "more than two thirds is needed", "a last commit without a quorum")
        let older = try #require(try store.block(at: 1))
        let misplaced = try CertifiedChain.certificate(for: older, fixture: fixture)
        expectRefused(carrying(misplaced), by: store, "last commit", "the commit of another block")
        // Another round's quorum for the same block is as good as the one this node stored.
        let otherRound = try CertifiedChain.certificate(for: parent, fixture: fixture, round: 3)
        _ = try store.execute(carrying(otherRound), executor: fixture.executor)
    }
}
