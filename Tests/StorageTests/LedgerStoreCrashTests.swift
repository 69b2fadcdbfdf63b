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

    /// Runs the writer, kills it `milliseconds` after `clock`, and returns the heights it acknowledged.
    static func runAndKill(
        _ directory: String,
        after milliseconds: Int,
        counting clock: KilledProcess.KillClock
    ) async throws -> [UInt64] {
        let text = try await KilledProcess.run(
            KilledProcess.helper("crash-writer"),
            [directory],
            killAfter: milliseconds,
            counting: clock
        )
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 3 && parts[0] == "committed" ? UInt64(parts[1]) : nil
        }
    }

    @Test func everyReopenLandsOnTheLastCommittedHeight() async throws {
        var random = SeededGenerator(seed: UInt64(Date().timeIntervalSince1970))
        // Half the kills count from the writer's start (open, recovery), half from its first commit, so a
        // machine loaded by the other tests still kills in the middle of commits.
        let (acknowledged, pastAcknowledgement) = try await Self.crashRounds(Self.kills) { directory, round in
            try await Self.runAndKill(
                directory,
                after: Int.random(in: 20...400, using: &random),
                counting: round.isMultiple(of: 2) ? .fromStart : .fromFirstOutput
            )
        }
        print(
            "crash test: \(Self.kills) kills, reached height \(acknowledged), \(pastAcknowledgement) reopened past the last acknowledgement"
        )
    }

    /// Runs `round` (which interrupts a writer in `directory` and returns the heights it acknowledged) `count`
    /// times, and checks every reopen: the store is at its last fully committed height — every acknowledged
    /// commit survived, at most one unacknowledged block more — its state root equals the header's and the
    /// root a clean run computes for that height, and a state proof from it verifies. Returns the height
    /// reached and how many reopens landed one past the last acknowledgement.
    static func crashRounds(
        _ count: Int,
        round: (_ directory: String, _ round: Int) async throws -> [UInt64]
    ) async throws -> (UInt64, Int) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "civic-crash-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = LedgerFixture()
        var acknowledged: UInt64 = 0
        var pastAcknowledgement = 0
        // A clean, uninterrupted run of the same workload, advanced as far as the crashing one gets.
        let cleanDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "civic-clean-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: cleanDirectory) }
        let clean = try RocksDBLedgerStore(path: cleanDirectory, suite: .secp256k1SHA256)
        defer { clean.close() }
        try clean.initialize(genesis: fixture.genesis)

        for index in 0..<count {
            let heights = try await round(directory, index)
            if let last = heights.last { acknowledged = max(acknowledged, last) }

            let store = try RocksDBLedgerStore(path: directory, suite: .secp256k1SHA256)
            defer { store.close() }
            guard (try? store.committedHeight()) != nil else {
                // Interrupted before genesis was written: nothing was acknowledged yet.
                #expect(acknowledged == 0, "round \(index): genesis lost after commits were acknowledged")
                continue
            }
            let height = try store.committedHeight()
            #expect(height >= acknowledged, "round \(index): acknowledged \(acknowledged), reopened at \(height)")
            #expect(height <= acknowledged + 1, "round \(index): more than one unacknowledged block")
            if height > acknowledged { pastAcknowledgement += 1 }
            acknowledged = height
            guard height > 0 else { continue }

            let block = try #require(try store.block(at: height))
            let root = try store.stateRoot(at: height)
            #expect(root == block.header.stateRoot, "round \(index): state root differs from header at \(height)")
            // A clean run gives one root per height: compute it once and compare every later reopen.
            while try clean.committedHeight() < height {
                _ = try LedgerStoreTests.commitBlocks(clean, fixture, count: 1)
            }
            #expect(
                root == (try clean.stateRoot(at: height)),
                "round \(index): root at \(height) differs from a clean run"
            )
            // The state holds exactly what the committed blocks wrote.
            let account = fixture.stateKeys.account(fixture.keys[LedgerFixture.guangdong]!.publicKey.bytes)
            let (value, proof) = try store.prove(key: account, height: height)
            #expect(try proof.verify(root: root, hash: SHA256()) == SHA256().hash(try #require(value)))
            #expect(try AccountRecord(canonicalBytes: value!).nextSequence == height * 18)
        }
        #expect(acknowledged > 0, "the writer never committed: the test proved nothing")
        return (acknowledged, pastAcknowledgement)
    }
}
