import Foundation
import LedgerTestSupport
import Testing

/// SPEC §9–§10 under fire: four validators, each with a file WAL and a file signing guard, run by the
/// `consensus-crash` helper, which is killed with SIGKILL at random moments again and again and restarted
/// on the same files. Across every incarnation no validator may sign two different things at one (height,
/// round, step), every validator must agree on every decided block, and the guard must never have to refuse
/// (a refusal means replay re-derived something other than what was signed). Then one last run must go on
/// deciding: the validators resume from their WALs.
@Suite(.serialized)
struct ConsensusCrashTests {
    static let kills = Int(ProcessInfo.processInfo.environment["CIVIC_GUARD_KILLS"] ?? "") ?? 100

    /// What all incarnations printed, checked as it accumulates.
    struct Ledger {
        var signed: [String: String] = [:]
        var decided: [UInt64: String] = [:]
        var conflicts: [String] = []
        var refusals: [String] = []
        var highest: UInt64 = 0

        /// Takes one run's output; returns, per validator, the step the kill caught it in: after a decision
        /// or its own proposal it is in `propose`, after its prevote in `prevote`, after its precommit in
        /// `precommit` (or the next round's `propose`, counted as `precommit`).
        mutating func take(_ output: String) -> [String: String] {
            var last: [String: String] = [:]
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ").map(String.init)
                switch parts.first {
                case "signed" where parts.count == 6:
                    let position = parts[1...4].joined(separator: " ")
                    if let earlier = signed[position], earlier != parts[5] {
                        conflicts.append(
                            "validator \(parts[1]) at height \(parts[2]) round \(parts[3]) \(parts[4]): \(earlier.prefix(12)) and \(parts[5].prefix(12))"
                        )
                    }
                    signed[position] = parts[5]
                    last[parts[1]] = parts[4]
                case "decided" where parts.count == 4:
                    guard let height = UInt64(parts[2]) else { continue }
                    if let earlier = decided[height], earlier != parts[3] {
                        conflicts.append("height \(height) decided as \(earlier.prefix(12)) and \(parts[3].prefix(12))")
                    }
                    decided[height] = parts[3]
                    highest = max(highest, height)
                    last[parts[1]] = "propose"
                case "refused", "elsewhere":
                    // Restarted with their guards intact, validators are never refused and never find
                    // their own signature made elsewhere.
                    refusals.append(String(line))
                default:
                    // A line cut by the kill.
                    continue
                }
            }
            return last
        }
    }

    @Test func killedValidatorsNeverSignConflictingMessages() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "civic-guard-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let helper = KilledProcess.helper("consensus-crash")
        var random = SeededGenerator(seed: UInt64(Date().timeIntervalSince1970))
        var ledger = Ledger()
        var interrupted: [String: Int] = [:]
        for kill in 1...Self.kills {
            let output = try await KilledProcess.run(
                helper,
                [directory, "\(kill)"],
                killAfter: Int.random(in: 30...300, using: &random),
                // Half from the first signature, so a loaded machine still kills validators mid-consensus.
                counting: kill.isMultiple(of: 2) ? .fromStart : .fromFirstOutput
            )
            for step in ledger.take(output).values { interrupted[step, default: 0] += 1 }
        }
        let reached = ledger.highest
        // One more run, to completion: everybody resumes from its files and decides five more heights (in well
        // under a second; the minute bounds a run that stopped deciding).
        let final = try await KilledProcess.run(helper, [directory, "0", "\(reached + 5)"], killAfter: 60_000)
        _ = ledger.take(final)

        #expect(ledger.conflicts.isEmpty, "\(ledger.conflicts.count) conflicts, e.g. \(ledger.conflicts.prefix(3))")
        #expect(ledger.refusals.isEmpty, "the guard refused or adopted: \(ledger.refusals.prefix(3))")
        #expect(reached >= 10, "only \(reached) heights decided across \(Self.kills) runs: the kill test proved little")
        #expect(ledger.highest == reached + 5, "after the kills the validators stopped deciding at \(ledger.highest)")
        #expect(
            Set(interrupted.keys).isSuperset(of: ["propose", "prevote", "precommit"]),
            "kills missed a step: \(interrupted)"
        )
        let steps = interrupted.sorted { $0.key < $1.key }.map { "\($0.value) in \($0.key)" }.joined(separator: ", ")
        print(
            "guard kill test: \(Self.kills) kills catching validators \(steps), \(ledger.signed.count) signatures, height \(ledger.highest), 0 conflicts expected, \(ledger.conflicts.count) found"
        )
    }
}
