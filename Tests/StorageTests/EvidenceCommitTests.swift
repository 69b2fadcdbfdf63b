import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing

/// Evidence committed in a block (SPEC §8): checked against the validator set of its height, recorded once,
/// listed with a proof; a block with bad evidence is not built.
struct EvidenceCommitTests {
    func build(_ store: RocksDBLedgerStore, _ fixture: LedgerFixture, evidence: [Equivocation]) throws -> Block {
        let (block, results, prepared) = try store.buildNextBlock(
            [],
            executor: fixture.executor,
            time: 1_795_478_400 + (try store.committedHeight()),
            proposer: LedgerFixture.guangdong,
            lastCommit: nil,
            evidence: evidence
        )
        try store.commit(block, certificate: nil, results: results, state: prepared)
        return block
    }

    @Test func evidenceIsCommittedOnceAndListedWithProof() throws {
        let directory = TemporaryDirectory("civic-evidence")
        let fixture = EvidenceFixture.fixture
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        defer { store.close() }
        try store.initialize(genesis: fixture.genesis)
        for _ in 0..<3 { _ = try build(store, fixture, evidence: []) }

        let evidence = Equivocation.votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("b")))
        let block = try build(store, fixture, evidence: [evidence])
        #expect(block.evidence == [evidence])
        #expect(block.header.evidenceRoot == Block.evidenceRoot([evidence], hash: SHA256()))
        #expect(try Block(canonicalBytes: block.canonicalBytes) == block)
        #expect(try store.block(at: 4) == block)

        let report = try LedgerQueries(reader: store).evidence()
        #expect(report.records.map(\.accused) == [LedgerFixture.guangdong])
        #expect(report.records.first?.committedAt == 4)
        #expect(report.records.first?.evidence == evidence.normalised)
        let count = try #require(report.log.record)
        #expect(count.count == 1)
        #expect(
            try report.log.proof.verify(root: report.log.header.stateRoot, hash: SHA256())
                == SHA256().hash(count.canonicalBytes)
        )

        // The same offence again — the same pair, reversed, or another pair at the same position — is refused.
        let again: [Equivocation] = [
            evidence, .votes(EvidenceFixture.vote(.of("b")), EvidenceFixture.vote(.of("a"))),
            .votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(nil)),
        ]
        for repeated in again {
            #expect {
                _ = try build(store, fixture, evidence: [repeated])
            } throws: { error in
                guard case LedgerStoreError.invalidEvidence(.duplicate) = error else { return false }
                return true
            }
        }
        #expect(try store.committedHeight() == 4, "nothing was committed by the refused blocks")
    }

    @Test func badEvidenceMakesNoBlock() throws {
        let directory = TemporaryDirectory("civic-evidence")
        let fixture = EvidenceFixture.fixture
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        defer { store.close() }
        try store.initialize(genesis: fixture.genesis)
        for _ in 0..<2 { _ = try build(store, fixture, evidence: []) }
        let cases: [(Equivocation, String)] = [
            (.votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("a"))), "no conflict"),
            (.votes(EvidenceFixture.vote(.of("a"), height: 3), EvidenceFixture.vote(.of("b"), height: 3)), "not older"),
            (
                .votes(
                    EvidenceFixture.vote(.of("a")),
                    EvidenceFixture.vote(.of("b"), key: LedgerFixture.key("stranger", suite: fixture.suite))
                ), "forged"
            ),
        ]
        for (evidence, why) in cases {
            #expect(throws: LedgerStoreError.self, "\(why)") { _ = try build(store, fixture, evidence: [evidence]) }
        }
        #expect(try store.committedHeight() == 2)
    }
}
