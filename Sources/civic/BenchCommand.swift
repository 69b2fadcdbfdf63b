import ArgumentParser
import CivicCommandLine
import Dispatch
import Foundation
import LedgerCore
import LedgerCrypto

/// `civic bench crypto`: throughput of the primitives, for `docs/benchmarks.md`. Figures, not assertions.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (reported figures; see docs/benchmarks.md).",
        subcommands: [Crypto.self]
    )

    struct Crypto: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hashes, signatures, batch verification and transaction encoding per second.",
            discussion: "Build with -c release for meaningful figures: Tools/bench-crypto.sh does."
        )

        @Option(help: "Seconds to spend on each measurement.")
        var seconds: Double = 1.0

        func validate() throws {
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        }

        func run() throws {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print("civic bench crypto: \(cores) cores, \(seconds) s per figure")
            for (name, hash) in [("sha256", SHA256() as any HashFunction), ("sm3", SM3())] {
                let small = [UInt8](repeating: 0x5a, count: 64)
                let large = [UInt8](repeating: 0x5a, count: 16 * 1024)
                report("\(name) 64 B", measure { _ = hash.hash(small) }, "hashes/s")
                let rate = measure { _ = hash.hash(large) }
                report("\(name) 16 KiB", rate * Double(large.count) / 1e6, "MB/s")
            }
            for id in CryptoSuiteID.allCases {
                let suite = id.suite
                let key = try suite.generatePrivateKey()
                let message = Array("a certificate digest to sign, 64 bytes long, more or less ....".utf8)
                // try?: only the time is measured; signing was checked once above.
                report("\(id) sign (1 core)", measure { _ = try? suite.sign(message, with: key) }, "signatures/s")
                let signature = try suite.sign(message, with: key)
                report(
                    "\(id) verify (1 core)",
                    measure { _ = suite.verify(signature, of: message, by: key.publicKey) },
                    "verifications/s"
                )
                let count = id == .sm2SM3 ? 4_000 : 20_000
                let checks = try (0..<count).map { index in
                    let content = Array("record \(index)".utf8)
                    return SignatureCheck(
                        message: content,
                        signature: try suite.sign(content, with: key),
                        publicKey: key.publicKey
                    )
                }
                let batchRate = measure(batch: count) { _ = BatchVerifier.verify(checks, suite: suite) }
                report("\(id) batch verify (\(cores) cores)", batchRate, "verifications/s")
            }
            let transaction = try sampleTransaction()
            let encoded = transaction.canonicalBytes
            report("transaction encode (\(encoded.count) B)", measure { _ = transaction.canonicalBytes }, "encodings/s")
            report(
                "transaction decode (\(encoded.count) B)",
                // try?: only the time is measured; the bytes decode (they were just encoded).
                measure { _ = try? SignedTransaction(encoded: encoded) },
                "decodings/s"
            )
        }

        /// A subsidy batch whose signed encoding is about 1 KiB (28 beneficiary tags).
        func sampleTransaction() throws -> SignedTransaction {
            let hash = SHA256()
            let tags = (0..<28).map { hash.hash(utf8: "tag \($0)") }
            guard let owner = OrgID("440000"), let name = ProgrammeID("rural-pension"),
                let period = SubsidyPeriod("2026-11")
            else { throw InputError(message: "bad programme") }
            let batch = SubsidyBatch(
                programme: ProgrammeRef(owner: owner, name: name),
                period: period,
                recordCount: 28,
                totalAmount: 28 * 18_000,
                recordsRoot: hash.hash(utf8: "records"),
                beneficiaryTags: tags
            )
            guard let chainID = ChainID("civic-bench") else { throw InputError(message: "bad chain id") }
            let transaction = Transaction(
                chainID: chainID,
                sender: [0x02] + [UInt8](repeating: 7, count: 32),
                sequence: 1,
                payload: .subsidyBatch(batch)
            )
            return SignedTransaction(
                transaction: transaction,
                signature: try Signature(bytes: [UInt8](repeating: 1, count: 64))
            )
        }

        /// Operations per second of `body`, run repeatedly for `seconds`.
        func measure(batch: Int = 1, _ body: () -> Void) -> Double {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
            let start = clock.now
            var operations = 0
            repeat {
                for _ in 0..<(batch == 1 ? 64 : 1) { body() }
                operations += batch == 1 ? 64 : batch
            } while clock.now < deadline
            let elapsed = start.duration(to: clock.now)
            return Double(operations)
                / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }

        func report(_ name: String, _ value: Double, _ unit: String) {
            let padded = name.padding(toLength: 42, withPad: " ", startingAt: 0)
            print("\(padded) \(String(format: "%12.0f", value)) \(unit)")
        }
    }
}
