import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing

/// Kills a writer process (`crash-writer`) with SIGKILL at random moments, again and again, and checks every
/// reopen: the store is at its last fully committed height, every acknowledged commit survived, and the
/// state root equals the header's — and equals the root a clean run computes for that height.
@Suite(.serialized)
struct LedgerStoreCrashTests {
    static let kills = Int(ProcessInfo.processInfo.environment["CIVIC_CRASH_KILLS"] ?? "") ?? 50

    /// Runs the writer, kills it after `milliseconds`, and returns the heights it acknowledged.
    static func runAndKill(_ directory: String, after milliseconds: Int) throws -> [UInt64] {
        let text = try KilledProcess.run(KilledProcess.helper("crash-writer"), [directory], killAfter: milliseconds)
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 3 && parts[0] == "committed" ? UInt64(parts[1]) : nil
        }
    }

    @Test func everyReopenLandsOnTheLastCommittedHeight() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "civic-crash-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = LedgerFixture()
        var random = SeededGenerator(seed: UInt64(Date().timeIntervalSince1970))
        var acknowledged: UInt64 = 0
        var killedMidWrite = 0
        // A clean, uninterrupted run of the same workload, advanced as far as the crashing one gets.
        let cleanDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "civic-clean-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: cleanDirectory) }
        let clean = try RocksDBLedgerStore(path: cleanDirectory, suite: .secp256k1SHA256)
        defer { clean.close() }
        try clean.initialize(genesis: fixture.genesis)

        for round in 0..<Self.kills {
            let heights = try Self.runAndKill(directory, after: Int.random(in: 20...400, using: &random))
            if let last = heights.last { acknowledged = max(acknowledged, last) }

            let store = try RocksDBLedgerStore(path: directory, suite: .secp256k1SHA256)
            defer { store.close() }
            guard (try? store.committedHeight()) != nil else {
                // Killed before genesis was written: nothing was acknowledged yet.
                #expect(acknowledged == 0, "round \(round): genesis lost after commits were acknowledged")
                continue
            }
            let height = try store.committedHeight()
            #expect(height >= acknowledged, "round \(round): acknowledged \(acknowledged), reopened at \(height)")
            #expect(height <= acknowledged + 1, "round \(round): more than one unacknowledged block")
            if height > acknowledged { killedMidWrite += 1 }
            acknowledged = height
            guard height > 0 else { continue }

            let block = try #require(try store.block(at: height))
            let root = try store.stateRoot(at: height)
            #expect(root == block.header.stateRoot, "round \(round): state root differs from header at \(height)")
            // A clean run gives one root per height: compute it once and compare every later reopen.
            while try clean.committedHeight() < height {
                _ = try LedgerStoreTests.commitBlocks(clean, fixture, count: 1)
            }
            #expect(
                root == (try clean.stateRoot(at: height)),
                "round \(round): root at \(height) differs from a clean run"
            )
            // The state holds exactly what the committed blocks wrote.
            let account = fixture.stateKeys.account(fixture.keys[LedgerFixture.guangdong]!.publicKey.bytes)
            let (value, proof) = try store.prove(key: account, height: height)
            #expect(try proof.verify(root: root, hash: SHA256()) == SHA256().hash(try #require(value)))
            #expect(try AccountRecord(canonicalBytes: value!).nextSequence == height * 18)
        }
        #expect(acknowledged > 0, "the writer never committed: the test proved nothing")
        print(
            "crash test: \(Self.kills) kills, reached height \(acknowledged), \(killedMidWrite) reopened past the last acknowledgement"
        )
    }
}
