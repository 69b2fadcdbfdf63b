import Foundation
import Testing

/// `civicd simulate` as a user runs it (docs/simulation.md): the closing line, the exit status, replaying one
/// seed, and clear refusals of settings that cannot be simulated.
struct SimulateCommandTests {
    static var civicd: String { CLIRunner.productsDirectory.appendingPathComponent("civicd").path }

    @Test func aSweepEndsWithItsSummaryLine() async throws {
        let result = try await CLIRunner.run(
            Self.civicd,
            ["simulate", "--validators", "4", "--byzantine", "1", "--seeds", "20"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").last == "20 seeds, 0 violations")
        #expect(result.stderr.contains("simulated 20 seeds"))
        // One seed replays with its outcome printed.
        let one = try await CLIRunner.run(
            Self.civicd,
            ["simulate", "--validators", "7", "--byzantine", "2", "--seeds", "1", "--first-seed", "42", "--verbose"]
        )
        #expect(one.status == 0)
        #expect(one.stdout == "seed 42: ok\n1 seeds, 0 violations\n")
    }

    @Test func impossibleSettingsAreRefusedWithTheirReason() async throws {
        let cases: [([String], String)] = [
            (["--validators", "4", "--byzantine", "2"], "a third of the power"),
            (["--validators", "4", "--powers", "1,2"], "--powers needs 4"),
            (["--drop-rate", "0.95"], "--drop-rate must be"),
            (["--seeds", "0"], "--seeds must be at least 1"),
            (["--scenario", "meteor"], "meteor"),
        ]
        for (arguments, reason) in cases {
            let result = try await CLIRunner.run(Self.civicd, ["simulate"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
    }
}
