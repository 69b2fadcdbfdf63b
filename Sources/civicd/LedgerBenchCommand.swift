import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Storage

/// `civicd bench ledger`: executor, ledger store and state tree throughput, for `docs/benchmarks.md`.
/// Figures only; nothing is asserted.
struct LedgerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the ledger (reported figures; see docs/benchmarks.md).",
        subcommands: [Ledger.self, Admission.self]
    )

    struct Ledger: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Executor and store throughput, state-tree updates at scale, disk per record, proofs.",
            discussion:
                "Build with -c release for meaningful figures. Uses a temporary directory unless --dir is given."
        )

        @Option(help: "Crypto suite.")
        var suite: CryptoSuiteID = .secp256k1SHA256

        @Option(help: "Single-certificate anchor transactions to execute and commit.")
        var transactions: Int = 20_000

        @Option(
            name: .customLong("batch-anchors"),
            help: "1,000-digest batch anchor transactions to execute and commit."
        )
        var batchAnchors: Int = 2_000

        @Option(help: "Records to load into the state tree (e.g. 1000000 or 10000000).")
        var records: Int = 1_000_000

        @Option(name: .customLong("records-per-version"), help: "Records written per state version while loading.")
        var recordsPerVersion: Int = 10_000

        @Option(help: "Directory for the databases (default: a temporary one, removed afterwards).")
        var dir: String?

        func run() throws {
            let base =
                dir
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("civic-bench-\(UUID().uuidString)")
                .path
            // try?: best-effort removal of the benchmark's scratch directory.
            defer { if dir == nil { try? FileManager.default.removeItem(atPath: base) } }
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            print(
                "civicd bench ledger: suite \(suite), \(ProcessInfo.processInfo.activeProcessorCount) cores, directory \(base)"
            )
            try benchExecutor(directory: base + "/chain")
            try benchStateTree(directory: base + "/tree")
        }

        // MARK: - Executor and block commits

        func benchGenesis() throws -> (Genesis, PrivateKey) { try LedgerBenchCommand.benchGenesis(suite: suite) }

        func benchExecutor(directory: String) throws {
            let (genesis, key) = try benchGenesis()
            let benchID = genesis.members[0].id
            let store = try RocksDBLedgerStore(path: directory, suite: suite)
            defer { store.close() }
            try store.initialize(genesis: genesis)
            let executor = Executor(rules: genesis.rules)
            let network = genesis.network
            let hash = suite.suite.hashFunction

            var sequence: UInt64 = 0
            func signed(_ payload: TransactionPayload) throws -> SignedTransaction {
                defer { sequence += 1 }
                let transaction = Transaction(
                    chainID: genesis.chainID,
                    sender: key.publicKey.bytes,
                    sequence: sequence,
                    payload: payload
                )
                return try SignedTransaction(signing: transaction, with: key, for: network)
            }

            let signStart = ContinuousClock.now
            let anchors = try (0..<transactions).map { index in
                try signed(
                    .certificateAnchor(
                        CertificateAnchor(
                            certificate: CertificateRef(issuer: benchID, key: hash.hash(utf8: "certificate \(index)")),
                            documentCommitment: hash.hash(utf8: "document \(index)"),
                            kind: .marriage
                        )
                    )
                )
            }
            report("sign single anchors (1 core)", Double(transactions) / seconds(since: signStart), "tx/s")
            let sizeBefore = directorySize(directory)
            try commitInBlocks(
                anchors,
                label: "single-record anchors",
                store: store,
                executor: executor,
                proposer: benchID
            )
            store.close()
            let anchoredBytes = directorySize(directory) - sizeBefore
            report(
                "disk per anchored certificate (incl. block, index, state)",
                Double(anchoredBytes) / Double(transactions),
                "bytes"
            )

            let reopened = try RocksDBLedgerStore(path: directory, suite: suite)
            defer { reopened.close() }
            let log = MerkleLog(hash: hash)
            let rootStart = ContinuousClock.now
            var batches: [SignedTransaction] = []
            for batch in 0..<batchAnchors {
                let leaves = (0..<1_000).map { log.leafHash(hash.hash(utf8: "batch \(batch) document \($0)").bytes) }
                let root = log.root(leafHashes: leaves)
                batches.append(
                    try signed(.batchAnchor(BatchAnchor(root: root, leafCount: 1_000, label: "batch \(batch)")))
                )
            }
            report(
                "client: digest + Merkle root of 1,000-document batches",
                Double(batchAnchors * 1_000) / seconds(since: rootStart),
                "digests/s"
            )
            let committed = try commitInBlocks(
                batches,
                label: "1,000-digest batch anchors",
                store: reopened,
                executor: executor,
                proposer: benchID
            )
            report("  = anchored digests (execute + commit)", committed * 1_000, "digests/s")
        }

        /// Executes and commits transactions in blocks of 1,000; reports executor-only and end-to-end rates.
        @discardableResult
        func commitInBlocks(
            _ all: [SignedTransaction],
            label: String,
            store: RocksDBLedgerStore,
            executor: Executor,
            proposer: OrgID
        ) throws -> Double {
            var executeTime = Duration.zero
            let start = ContinuousClock.now
            var index = 0
            while index < all.count {
                let block = Array(all[index..<min(index + 1_000, all.count)])
                let parent = try store.committedHeight()
                let executeStart = ContinuousClock.now
                _ = try executor.execute(
                    block,
                    context: BlockContext(height: parent + 1, time: parent + 1),
                    state: store.state(at: parent)
                )
                executeTime += ContinuousClock.now - executeStart
                let (built, results, prepared) = try store.buildNextBlock(
                    block,
                    executor: executor,
                    time: parent + 1,
                    proposer: proposer,
                    lastCommit: nil
                )
                guard results.allSatisfy(\.isApplied) else {
                    throw InputError(message: "benchmark transaction refused")
                }
                try store.commit(built, certificate: nil, results: results, state: prepared)
                index += block.count
            }
            // buildNextBlock executes again, so the end-to-end figure excludes the separately timed pass.
            let total = seconds(since: start) - executeTime.seconds
            report("\(label): execute (signatures on all cores)", Double(all.count) / executeTime.seconds, "tx/s")
            let endToEnd = Double(all.count) / total
            report("\(label): execute + prepare + synced commit", endToEnd, "tx/s")
            return endToEnd
        }

        // MARK: - State tree at scale

        func benchStateTree(directory: String) throws {
            let store = try RocksDBLedgerStore(path: directory, suite: suite)
            defer { store.close() }
            try store.initialize(genesis: try benchGenesis().0)
            let hash = suite.suite.hashFunction
            var version: UInt64 = 0
            var loaded = 0
            var random = SystemRandomNumberGenerator()
            var sampleKeys: [Digest] = []
            var windowStart = ContinuousClock.now
            var windowRecords = 0
            var nextReport = 1
            while loaded < records {
                version += 1
                let count = min(recordsPerVersion, records - loaded)
                var writes: [StateWrite] = []
                writes.reserveCapacity(count)
                for _ in 0..<count {
                    let key = hash.hash((0..<4).flatMap { _ in withUnsafeBytes(of: random.next()) { Array($0) } })
                    writes.append(StateWrite(key: key, value: Array(repeating: 7, count: 100)))
                    if sampleKeys.count < 10_000, random.next() % 50 == 0 { sampleKeys.append(key) }
                }
                try store.commitStateVersion(try store.prepare(writes: writes, height: version))
                loaded += count
                windowRecords += count
                if loaded >= nextReport * 1_000_000 || loaded == records {
                    report(
                        "state tree inserts up to \(loaded / 1_000) k records",
                        Double(windowRecords) / seconds(since: windowStart),
                        "records/s"
                    )
                    windowStart = ContinuousClock.now
                    windowRecords = 0
                    nextReport = loaded / 1_000_000 + 1
                }
            }
            // Updates of existing keys at full size, in versions of recordsPerVersion.
            let updateStart = ContinuousClock.now
            var updated = 0
            for round in 0..<5 {
                version += 1
                let writes = sampleKeys.prefix(recordsPerVersion).map {
                    StateWrite(key: $0, value: Array(repeating: UInt8(round), count: 100))
                }
                try store.commitStateVersion(try store.prepare(writes: writes, height: version))
                updated += writes.count
            }
            report(
                "state tree updates of existing keys at \(loaded / 1_000) k records",
                Double(updated) / seconds(since: updateStart),
                "records/s"
            )
            report(
                "state tree on disk per record (nodes + values, all versions)",
                Double(directorySize(directory)) / Double(loaded),
                "bytes"
            )

            var proofs: [(StateProof, Digest)] = []
            for key in sampleKeys.prefix(2_000) {
                let (value, proof) = try store.prove(key: key, height: version)
                proofs.append((proof, hash.hash(value ?? [])))
            }
            let root = try store.stateRoot(at: version)
            let verifyStart = ContinuousClock.now
            for (proof, valueHash) in proofs {
                guard try proof.verify(root: root, hash: hash) == valueHash else {
                    throw InputError(message: "a proof failed")
                }
            }
            let perProof = seconds(since: verifyStart) / Double(proofs.count)
            let averageSize = Double(proofs.map { $0.0.canonicalBytes.count }.reduce(0, +)) / Double(proofs.count)
            let averageDepth = Double(proofs.map { $0.0.siblings.count }.reduce(0, +)) / Double(proofs.count)
            report("state proof size (average, \(String(format: "%.1f", averageDepth)) siblings)", averageSize, "bytes")
            report("state proof verification", perProof * 1e6, "µs")
        }

        // MARK: - Helpers

        func seconds(since start: ContinuousClock.Instant) -> Double { (ContinuousClock.now - start).seconds }

        func directorySize(_ path: String) -> Int {
            let enumerator = FileManager.default.enumerator(atPath: path)
            var total = 0
            while let file = enumerator?.nextObject() as? String {
                // try?: a file that vanished while being counted has no size.
                let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + file)
                total += (attributes?[.size] as? Int) ?? 0
            }
            return total
        }

        func report(_ name: String, _ value: Double, _ unit: String) {
            print(
                "\(name.padding(toLength: 64, withPad: " ", startingAt: 0)) \(String(format: "%12.1f", value)) \(unit)"
            )
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension LedgerBenchCommand {
    /// A one-member network whose registrar signs every benchmark transaction.
    static func benchGenesis(suite: CryptoSuiteID) throws -> (Genesis, PrivateKey) {
        guard let benchID = OrgID("BENCH"), let chainID = ChainID("civic-bench") else {
            throw InputError(message: "benchmark identifiers are invalid")
        }
        let key = try suite.suite.generatePrivateKey()
        let member = Member(
            id: benchID,
            name: "Benchmark registrar",
            roles: RoleSet([.validator, .registrar]),
            accountKeys: [key.publicKey.bytes],
            validator: ValidatorInfo(
                power: 1,
                consensusKey: try suite.suite.generatePrivateKey().publicKey.bytes,
                tlsKeyPin: SHA256().hash(utf8: "bench tls"),
                address: "127.0.0.1:26656"
            )
        )
        return (Genesis(chainID: chainID, suite: suite, genesisTime: 0, members: [member]), key)
    }
}
