import Foundation
import Simulation
import Testing

/// Seeded simulations of the consensus engine under faults (`Consensus/SPEC.md` §12). On every seed every
/// invariant must hold: agreement, validity, no honest double-sign, certificates with a quorum, and
/// termination within the bound after the faults end. `CIVIC_SIM_SEEDS` sets the seeds per randomised
/// configuration (default 300: with the scenarios, over 1,000 seeds per CI run); `civicd simulate` runs
/// long sweeps.
struct SimulatorTests {
    static let seeds = UInt64(ProcessInfo.processInfo.environment["CIVIC_SIM_SEEDS"] ?? "") ?? 300

    /// Runs seeds 1…count of a configuration; every violation is reported with the command that replays it.
    /// Yields between seeds: the tests share the process's cooperative pool (two threads here) with every
    /// async test, and minutes of seeds without a pause starve them.
    static func check(
        _ label: String,
        seeds count: UInt64 = seeds,
        replay: String,
        _ configuration: (UInt64) -> SimulationConfiguration
    ) async {
        var failures: [String] = []
        for seed in 1...count {
            await Task.yield()
            var simulator = Simulator(configuration: configuration(seed), seed: seed)
            for violation in simulator.run() {
                failures.append(
                    "seed \(seed): \(violation) — replay: civicd simulate \(replay) --seeds 1 --first-seed \(seed)"
                )
            }
        }
        #expect(failures.isEmpty, "\(label): \(failures.count) violations, e.g. \(failures.prefix(3))")
        print("simulation \(label): \(count) seeds, \(failures.count) violations")
    }

    @Test func fourValidatorsOneByzantine() async {
        await Self.check("4 validators, 1 Byzantine", replay: "--validators 4 --byzantine 1") {
            .standard(validators: 4, byzantine: 1, seed: $0)
        }
    }

    @Test func sevenValidatorsTwoByzantine() async {
        await Self.check("7 validators, 2 Byzantine", replay: "--validators 7 --byzantine 2") {
            .standard(validators: 7, byzantine: 2, seed: $0)
        }
    }

    @Test func unequalPowers() async {
        // All three honest validators are needed for a quorum (70 of 100); the Byzantine one holds 30.
        await Self.check("unequal powers", replay: "--validators 4 --byzantine 1 --powers 45,15,10,30") { seed in
            var configuration = SimulationConfiguration.standard(validators: 4, byzantine: 1, seed: seed)
            configuration.powers = [45, 15, 10, 30]
            return configuration
        }
    }

    @Test func validatorSetChangesMidRun() async {
        await Self.check(
            "validator-set changes",
            replay: "--validators 7 --byzantine 2 --validator-changes 4 --heights 12"
        ) { seed in
            var configuration = SimulationConfiguration.standard(validators: 7, byzantine: 2, seed: seed)
            configuration.validatorChanges = 4
            configuration.heights = 12
            return configuration
        }
    }

    /// Lessons from the field (SPEC §12): each scenario's own promise is checked by the simulator too.
    @Test(arguments: [
        SimulationConfiguration.Scenario.allRestart, .loneRestart, .fallBehind,
    ])
    func scenario(_ scenario: SimulationConfiguration.Scenario) async {
        await Self.check(
            scenario.rawValue,
            seeds: max(Self.seeds / 3, 10),
            replay: "--validators 4 --byzantine 1 --heights 10 --scenario \(scenario.rawValue)"
        ) { seed in
            var configuration = SimulationConfiguration.standard(validators: 4, byzantine: 1, seed: seed)
            configuration.heights = 10
            configuration.scenario = scenario
            return configuration
        }
    }

    /// An hour without executable blocks costs ~0.25 s of simulation per seed, so fewer seeds.
    @Test func hourLongOutageEndsPromptly() async {
        await Self.check(
            "outage",
            seeds: max(Self.seeds / 30, 5),
            replay: "--validators 4 --byzantine 1 --scenario outage"
        ) { seed in
            var configuration = SimulationConfiguration.standard(validators: 4, byzantine: 1, seed: seed)
            configuration.scenario = .outage
            configuration.terminationBoundMs = 30_000
            return configuration
        }
    }

    /// SPEC §8 end to end: engines detect equivocation, nodes gossip the evidence, proposers put it in blocks,
    /// and it is committed (the framing invariant checks it only ever accuses the equivocator).
    @Test func equivocationEndsUpCommittedAsEvidence() async {
        var withEvidence = 0
        for seed in 1...UInt64(100) {
            await Task.yield()
            var configuration = SimulationConfiguration.standard(validators: 4, byzantine: 1, seed: seed)
            configuration.byzantine = [3: .equivocate]
            var simulator = Simulator(configuration: configuration, seed: seed)
            #expect(simulator.run().isEmpty, "seed \(seed)")
            if !simulator.committedEvidence.isEmpty { withEvidence += 1 }
        }
        // Detection needs both of the pair to reach one honest node before the height ends: nearly always.
        #expect(withEvidence >= 90, "evidence committed in only \(withEvidence) of 100 seeds")
        var quiet = SimulationConfiguration.standard(validators: 4, byzantine: 1, seed: 1)
        quiet.byzantine = [3: .withhold]
        var simulator = Simulator(configuration: quiet, seed: 1)
        #expect(simulator.run().isEmpty && simulator.committedEvidence.isEmpty, "silence is not equivocation")
    }

    @Test func allHonestWithoutFaultsDecidesQuickly() {
        var configuration = SimulationConfiguration.standard(validators: 4, byzantine: 0, seed: 0)
        configuration.crashes = 0
        configuration.partition = false
        configuration.dropRate = 0
        var simulator = Simulator(configuration: configuration, seed: 7)
        #expect(simulator.run().isEmpty)
        #expect(simulator.decided.count == Int(configuration.heights))
    }

    @Test func sameSeedSameRun() {
        let configuration = SimulationConfiguration.standard(validators: 4, byzantine: 1, seed: 3)
        var first = Simulator(configuration: configuration, seed: 3)
        var second = Simulator(configuration: configuration, seed: 3)
        #expect(first.run() == second.run())
        #expect(first.decided == second.decided)
    }
}
