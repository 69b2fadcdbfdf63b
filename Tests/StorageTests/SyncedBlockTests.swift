import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing

/// Block sync's check (`RocksDBLedgerStore.commitSynced`): a block from a peer commits only with a valid
/// certificate from V(h) and a header that is exactly what executing it gives.
struct SyncedBlockTests {
    let fixture = LedgerFixture()
    let sourceDirectory = TemporaryDirectory()
    let targetDirectory = TemporaryDirectory()

    func stores(blocks: Int) throws -> (source: RocksDBLedgerStore, target: RocksDBLedgerStore) {
        let source = try RocksDBLedgerStore(path: sourceDirectory.path, suite: .secp256k1SHA256)
        try source.initialize(genesis: fixture.genesis)
        try CertifiedChain.commit(blocks, to: source, fixture: fixture)
        let target = try RocksDBLedgerStore(path: targetDirectory.path, suite: .secp256k1SHA256)
        try target.initialize(genesis: fixture.genesis)
        return (source, target)
    }

    @Test func certifiedBlocksCommitWithIdenticalState() throws {
        let (source, target) = try stores(blocks: 4)
        for height in UInt64(1)...4 {
            let block = try #require(try source.block(at: height))
            let certificate = try #require(try source.certificate(at: height))
            try target.commitSynced(block, certificate: certificate, executor: fixture.executor)
            #expect(try target.stateRoot(at: height) == source.stateRoot(at: height))
            #expect(try target.block(at: height) == block)
        }
    }

    @Test func aForgedBlockIsRefusedAndNothingIsWritten() throws {
        let (source, target) = try stores(blocks: 1)
        let block = try #require(try source.block(at: 1))
        let certificate = try #require(try source.certificate(at: 1))

        // A transaction dropped: the header no longer hashes to what the certificate signed.
        let trimmed = Block(header: block.header, transactions: Array(block.transactions.dropLast()))
        #expect(throws: LedgerStoreError.self) {
            try target.commitSynced(trimmed, certificate: certificate, executor: fixture.executor)
        }
        // Exactly two thirds of the power signed.
        let weak = try CertifiedChain.certificate(for: block, fixture: fixture, signers: [0, 1])
        #expect(throws: LedgerStoreError.invalidCertificate(.insufficientPower(signed: 20, total: 30))) {
            try target.commitSynced(block, certificate: weak, executor: fixture.executor)
        }
        // Validators that certified a header whose state root execution does not give.
        let lying = Block(
            header: block.header.changing(stateRoot: .of("a state nobody computed")),
            transactions: block.transactions
        )
        let lyingCertificate = try CertifiedChain.certificate(for: lying, fixture: fixture)
        #expect(throws: LedgerStoreError.blockMismatch("executing it gives another block (stateRoot differ)")) {
            try target.commitSynced(lying, certificate: lyingCertificate, executor: fixture.executor)
        }
        #expect(try target.committedHeight() == 0)
        try target.commitSynced(block, certificate: certificate, executor: fixture.executor)
        #expect(try target.committedHeight() == 1)
    }
}
