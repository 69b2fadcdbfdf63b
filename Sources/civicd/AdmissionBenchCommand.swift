import ArgumentParser
import Foundation
import LedgerCore
import LedgerCrypto
import Node

extension LedgerBenchCommand {
    /// `civicd bench admission`: what a node spends refusing junk — well-formed transactions from a key that is
    /// no member's, with random signatures, as anyone can make them for free (issue 16, finding 6) — beside
    /// the reference of verifying as many signatures, measured in the same run, in CPU time on all threads
    /// (`docs/reliability.md`).
    struct Admission: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "CPU per refused junk transaction at admission, beside a signature-verification reference.",
            discussion: "Build with -c release for meaningful figures."
        )

        @Option(help: "Crypto suite.")
        var suite: CryptoSuiteID = .secp256k1SHA256

        @Option(help: "Junk transactions per round.")
        var transactions: Int = 10_000

        @Option(help: "Rounds; the median is reported.")
        var rounds: Int = 5

        @Option(help: "Make the junk for this network's genesis file instead of a bench network's.")
        var genesis: String?

        @Option(
            help: ArgumentHelp(
                "Write the junk as a binary POST /v1/txs/batch body to this file and stop.",
                discussion: "Tools/bench-junk.sh posts it to a running node to measure the refusal end to end."
            )
        )
        var writeBatch: String?

        func run() throws {
            let genesis =
                try self.genesis.map { try Genesis.parse(json: Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) }
                ?? LedgerBenchCommand.benchGenesis(suite: suite).0
            let suite = genesis.suite
            let chainID = genesis.chainID
            let executor = Executor(rules: genesis.rules)
            var state = InMemoryState()
            state.apply(genesis.initialState)
            let stranger = try suite.suite.generatePrivateKey()
            var random = SystemRandomNumberGenerator()
            let junk = try (0..<transactions).map { index in
                SignedTransaction(
                    transaction: Transaction(
                        chainID: chainID,
                        sender: stranger.publicKey.bytes,
                        sequence: UInt64(index),
                        payload: .batchAnchor(
                            BatchAnchor(root: SHA256().hash(utf8: "junk \(index)"), leafCount: 1, label: "junk")
                        )
                    ),
                    signature: try Signature(bytes: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) })
                )
            }
            if let writeBatch {
                let body = junk.flatMap {
                    withUnsafeBytes(of: UInt32($0.canonicalBytes.count).bigEndian, Array.init) + $0.canonicalBytes
                }
                try Data(body).write(to: URL(fileURLWithPath: writeBatch))
                return
            }
            var refusing: [Double] = []
            var verifying: [Double] = []
            for _ in 0..<rounds {
                let pool = Mempool(executor: executor)
                let start = Self.processorSeconds()
                let results = pool.add(junk, state: state)
                refusing.append(Self.processorSeconds() - start)
                guard results.allSatisfy({ if case .failure = $0 { true } else { false } }) else {
                    throw ValidationError("a junk transaction was admitted")
                }
                let reference = Self.processorSeconds()
                _ = executor.verifySignatures(junk)
                verifying.append(Self.processorSeconds() - reference)
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print(
                "civicd bench admission: suite \(suite), \(cores) cores, \(transactions) junk transactions × \(rounds)"
            )
            for (name, seconds) in [
                ("refuse junk at admission (Mempool.add)", median(refusing)),
                ("reference: verify their signatures (all cores)", median(verifying)),
            ] {
                let perTransaction = seconds / Double(transactions) * 1e6
                print(
                    "\(name.padding(toLength: 52, withPad: " ", startingAt: 0)) \(String(format: "%10.2f", perTransaction)) µs CPU per transaction"
                )
            }
        }

        /// CPU time this process has used, user and system, on all its threads.
        static func processorSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        }
    }
}
