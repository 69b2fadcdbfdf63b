import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing

/// The ledger store: blocks and state commit together, survive reopening, prove what they hold, prune.
struct LedgerStoreTests {
    /// Commits `count` deterministic blocks, every transaction of which must apply.
    static func commitBlocks(_ store: RocksDBLedgerStore, _ fixture: LedgerFixture, count: Int) throws -> [Block] {
        try (0..<count).map { _ in
            let (block, results) = try CrashWorkload.commitNextBlock(store, fixture: fixture)
            #expect(results.allSatisfy { $0.isApplied }, "\(results.filter { !$0.isApplied })")
            return block
        }
    }

    @Test func blocksAndStateCommitTogetherAndSurviveReopening() throws {
        let directory = TemporaryDirectory()
        let fixture = LedgerFixture()
        var blocks: [Block] = []
        do {
            let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
            try store.initialize(genesis: fixture.genesis)
            #expect(try store.committedHeight() == 0)
            blocks = try Self.commitBlocks(store, fixture, count: 5)
            store.close()
        }
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        #expect(try store.committedHeight() == 5)
        for block in blocks {
            #expect(try store.block(at: block.header.height) == block)
            #expect(try store.stateRoot(at: block.header.height) == block.header.stateRoot)
            #expect(
                block.header.previousBlockHash
                    == (block.header.height == 1 ? .zero : blocks[Int(block.header.height) - 2].header.hash(SHA256()))
            )
        }
        let transaction = blocks[2].transactions[4]
        let location = try #require(try store.transactionLocation(transaction.id(hash: SHA256())))
        #expect(location.height == 3 && location.index == 4 && location.result.isApplied)

        // The same blocks executed on a second store give byte-identical roots.
        let other = TemporaryDirectory()
        let replica = try RocksDBLedgerStore(path: other.path, suite: .secp256k1SHA256)
        try replica.initialize(genesis: fixture.genesis)
        for block in blocks {
            let (rebuilt, results, prepared) = try replica.buildNextBlock(
                block.transactions,
                executor: fixture.executor,
                time: block.header.time,
                proposer: block.header.proposer,
                lastCommit: nil
            )
            #expect(rebuilt == block)
            try replica.commit(rebuilt, certificate: nil, results: results, state: prepared)
        }
    }

    @Test func proofsFromTheStoreVerifyAgainstHeaders() throws {
        let directory = TemporaryDirectory()
        let fixture = LedgerFixture()
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        let blocks = try Self.commitBlocks(store, fixture, count: 3)
        let certificate = fixture.stateKeys.certificate(Payloads.certificate("h2-5"))
        for block in blocks {
            let height = block.header.height
            let (value, proof) = try store.prove(key: certificate, height: height)
            let proven = try proof.verify(root: block.header.stateRoot, hash: SHA256())
            if height < 2 {
                #expect(value == nil && proven == nil)
            } else {
                let bytes = try #require(value)
                #expect(proven == SHA256().hash(bytes))
                #expect(try CertificateRecord(canonicalBytes: bytes).issuer == LedgerFixture.guangdong)
            }
        }
    }

    @Test func wrongHeightWrongRootAndWrongGenesisAreRefused() throws {
        let directory = TemporaryDirectory()
        let fixture = LedgerFixture()
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        #expect(throws: LedgerStoreError.notInitialised) { try store.committedHeight() }
        try store.initialize(genesis: fixture.genesis)
        let (block, results, prepared) = try store.buildNextBlock(
            [],
            executor: fixture.executor,
            time: 1,
            proposer: LedgerFixture.guangdong,
            lastCommit: nil
        )
        let forged = Block(
            header: BlockHeader(
                chainID: block.header.chainID,
                height: 1,
                time: 1,
                previousBlockHash: .zero,
                transactionsRoot: block.header.transactionsRoot,
                transactionCount: 0,
                stateRoot: .of("forged"),
                resultsRoot: block.header.resultsRoot,
                evidenceRoot: block.header.evidenceRoot,
                validatorSetHash: block.header.validatorSetHash,
                nextValidatorSetHash: block.header.nextValidatorSetHash,
                lastCommitHash: .zero,
                proposer: LedgerFixture.guangdong
            ),
            transactions: []
        )
        #expect(throws: LedgerStoreError.self) {
            try store.commit(forged, certificate: nil, results: results, state: prepared)
        }
        try store.commit(block, certificate: nil, results: results, state: prepared)
        #expect(throws: LedgerStoreError.wrongHeight(expected: 2, got: 1)) {
            try store.commit(block, certificate: nil, results: results, state: prepared)
        }
        var otherGenesis = fixture.genesis
        otherGenesis.duplicateSubsidy = .flag
        #expect(throws: LedgerStoreError.self) { try store.initialize(genesis: otherGenesis) }
    }

    @Test func pruningKeepsRecentVersionsProvable() throws {
        let directory = TemporaryDirectory()
        let fixture = LedgerFixture()
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        let blocks = try Self.commitBlocks(store, fixture, count: 6)
        let account = fixture.stateKeys.account(fixture.keys[LedgerFixture.guangdong]!.publicKey.bytes)
        try store.prune(below: 4)
        for height in 4...6 as ClosedRange<UInt64> {
            let (value, proof) = try store.prove(key: account, height: height)
            #expect(
                try proof.verify(root: blocks[Int(height) - 1].header.stateRoot, hash: SHA256())
                    == SHA256().hash(value!)
            )
            #expect(try AccountRecord(canonicalBytes: value!).nextSequence == height * 18)
        }
        // Height 2's tree nodes and superseded values are gone.
        #expect(throws: LedgerStoreError.self) { try store.prove(key: account, height: 2) }
        #expect(throws: LedgerStoreError.versionPruned(height: 2, keptFrom: 4)) {
            try store.value(at: account, height: 2)
        }
    }
}

/// A height the store has not committed is absent, not corruption (issue 23): a reader ahead of block sync was
/// told "ledger store corrupt: no state root recorded for height 482".
struct LedgerStoreHeightTests {
    @Test func aHeightNotYetCommittedIsNotCommittedNotCorrupt() throws {
        let directory = TemporaryDirectory()
        let fixture = LedgerFixture()
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        let blocks = try LedgerStoreTests.commitBlocks(store, fixture, count: 3)
        let account = fixture.stateKeys.account(fixture.keys[LedgerFixture.guangdong]!.publicKey.bytes)
        #expect(try store.stateRoot(at: 3) == blocks[2].header.stateRoot)
        #expect(try store.block(at: 4) == nil)
        #expect(throws: LedgerStoreError.notCommitted(height: 4, committed: 3)) { try store.stateRoot(at: 4) }
        #expect(throws: LedgerStoreError.notCommitted(height: 4, committed: 3)) {
            try store.prove(key: account, height: 4)
        }
    }

    /// A root missing at a committed height is corruption, and says so.
    @Test func aMissingRootAtACommittedHeightIsCorrupt() throws {
        let directory = TemporaryDirectory()
        let fixture = LedgerFixture()
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        _ = try LedgerStoreTests.commitBlocks(store, fixture, count: 3)
        // The root's key as docs/storage.md lays it out: "root/" and the height, big-endian, in `meta`.
        let root2 = Array("root/".utf8) + withUnsafeBytes(of: UInt64(2).bigEndian) { Array($0) }
        try store.database.delete(root2, column: "meta", sync: true)
        #expect(throws: LedgerStoreError.corrupt("no state root recorded for committed height 2")) {
            try store.stateRoot(at: 2)
        }
    }
}

/// The retention setting prunes on its own as blocks commit.
struct LedgerStoreRetentionTests {
    @Test func retentionSettingKeepsOnlyRecentVersions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("civic-retain-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fixture = LedgerFixture()
        let store = try RocksDBLedgerStore(path: path, suite: .secp256k1SHA256, retainedVersions: 10)
        try store.initialize(genesis: fixture.genesis)
        let blocks = try LedgerStoreTests.commitBlocks(store, fixture, count: 200)
        let account = fixture.stateKeys.account(fixture.keys[LedgerFixture.guangdong]!.publicKey.bytes)
        for height in [191, 195, 200] as [UInt64] {
            let (value, proof) = try store.prove(key: account, height: height)
            #expect(
                try proof.verify(root: blocks[Int(height) - 1].header.stateRoot, hash: SHA256())
                    == SHA256().hash(value!)
            )
        }
        #expect(throws: LedgerStoreError.self) { try store.prove(key: account, height: 50) }
        #expect(try store.block(at: 50) == blocks[49])
    }
}
