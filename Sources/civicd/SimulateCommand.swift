import ArgumentParser
import CivicCommandLine
import Dispatch
import Foundation
import Simulation

/// `civicd simulate`: many seeded runs of the consensus simulator (`Consensus/SPEC.md` §12), spread over
/// the machine's cores. Ends with `K seeds, V violations`; exit 0 only when V is 0. Every failing seed
/// prints a one-line command that replays it exactly.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the deterministic consensus simulator over many seeds and check its invariants.",
        discussion: """
            Each seed runs N validators (the last F Byzantine, their fault chosen by the seed unless --fault \
            is given) on a virtual network that delays, drops, duplicates and reorders messages, partitions \
            and heals, and crashes and restarts honest validators from their WAL. Checked after every step: \
            agreement, validity, no honest double-sign, quorum certificates; and termination after healing.
            """
    )

    @Option(help: "Number of validators.")
    var validators: Int = 4

    @Option(help: "How many of them are Byzantine (must hold less than a third of the power).")
    var byzantine: Int = 1

    @Option(help: "Number of seeds to run.")
    var seeds: UInt64 = 100

    @Option(name: .customLong("first-seed"), help: "The first seed; seeds run from here upwards.")
    var firstSeed: UInt64 = 1

    @Option(help: "Heights every honest validator must decide.")
    var heights: UInt64 = 5

    @Option(help: "Voting powers, comma-separated (default: 10 each).")
    var powers: String?

    @Option(help: "Byzantine behaviour: equivocate, withhold, invalid (default: rotate by seed).")
    var fault: SimulationConfiguration.Fault?

    @Option(
        name: .customLong("validator-changes"),
        help: "Validator-set changes committed during the run (power changes, a removal and a re-admission)."
    )
    var validatorChanges: Int = 0

    @Option(help: "Scenario: mixed (default), outage, all-restart, lone-restart, fall-behind.")
    var scenario: SimulationConfiguration.Scenario = .mixed

    @Option(name: .customLong("drop-rate"), help: "Share of messages the network loses, 0…0.9 (default 0.05).")
    var dropRate: Double = 0.05

    @Option(help: "Print the last N events of each failing seed (for replaying one seed).")
    var trace: Int = 0

    @Flag(help: "Print every seed's outcome, not only failures.")
    var verbose = false

    func validate() throws {
        guard validators >= 1, validators <= 100 else { throw ValidationError("--validators must be 1…100") }
        guard byzantine >= 0, byzantine < validators else { throw ValidationError("--byzantine must be 0…N-1") }
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard heights >= 1, heights <= 10_000 else { throw ValidationError("--heights must be 1…10000") }
        guard dropRate >= 0, dropRate <= 0.9 else { throw ValidationError("--drop-rate must be 0…0.9") }
        // The Byzantine validators are the last F (`SimulationConfiguration.standard`).
        let powers = try powerList()
        guard 3 * powers.suffix(byzantine).reduce(0, +) < powers.reduce(0, +) else {
            throw ValidationError("the Byzantine validators hold a third of the power or more: nothing to check")
        }
    }

    private func powerList() throws -> [UInt64] {
        guard let powers else { return Array(repeating: 10, count: validators) }
        let list = powers.split(separator: ",").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard list.count == validators, list.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 1 << 40 }) else {
            throw ValidationError("--powers needs \(validators) whole numbers from 1 to 2^40")
        }
        return list.compactMap { $0 }
    }

    func configuration(seed: UInt64) throws -> SimulationConfiguration {
        var configuration = SimulationConfiguration.standard(validators: validators, byzantine: byzantine, seed: seed)
        configuration.powers = try powerList()
        if let fault { for index in configuration.byzantine.keys { configuration.byzantine[index] = fault } }
        configuration.heights = heights
        configuration.validatorChanges = validatorChanges
        configuration.scenario = scenario
        configuration.dropRate = dropRate
        configuration.traceEvents = trace
        return configuration
    }

    /// The command that replays one seed.
    func replay(seed: UInt64) -> String {
        var parts = [
            "civicd simulate", "--validators \(validators)", "--byzantine \(byzantine)", "--seeds 1",
            "--first-seed \(seed)", "--heights \(heights)",
        ]
        if let powers { parts.append("--powers \(powers)") }
        if let fault { parts.append("--fault \(fault.rawValue)") }
        if validatorChanges > 0 { parts.append("--validator-changes \(validatorChanges)") }
        if scenario != .mixed { parts.append("--scenario \(scenario.rawValue)") }
        if dropRate != 0.05 { parts.append("--drop-rate \(dropRate)") }
        if seeds > 1 { parts.append("--verbose") }
        return parts.joined(separator: " ")
    }

    func run() throws {
        let started = DispatchTime.now()
        let configurations = try (0..<seeds).map { try configuration(seed: firstSeed + $0) }
        let outcomes = SeedOutcomes(count: Int(seeds))
        DispatchQueue.concurrentPerform(iterations: Int(seeds)) { offset in
            var simulator = Simulator(configuration: configurations[offset], seed: firstSeed + UInt64(offset))
            let violations = simulator.run()
            outcomes.set(
                offset,
                SeedOutcome(
                    violations: violations,
                    diagnostics: violations.isEmpty
                        ? "" : ([simulator.diagnostics] + simulator.trace).joined(separator: "\n"),
                    evidence: simulator.committedEvidence.count
                )
            )
        }
        var violated = 0
        var total = 0
        var evidence = 0
        var seedsWithEvidence = 0
        for offset in 0..<Int(seeds) {
            let seed = firstSeed + UInt64(offset)
            let outcome = outcomes.get(offset)
            total += outcome.violations.count
            evidence += outcome.evidence
            if outcome.evidence > 0 { seedsWithEvidence += 1 }
            if outcome.violations.isEmpty {
                if verbose { print("seed \(seed): ok") }
                continue
            }
            violated += 1
            print("seed \(seed): \(outcome.violations.count) violations")
            for violation in outcome.violations { print("  \(violation)") }
            if verbose || seeds == 1 {
                print(outcome.diagnostics.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
            }
            print("  replay: \(replay(seed: seed))")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        printError(
            "simulated \(seeds) seeds in \((seconds * 10).rounded() / 10) s on \(ProcessInfo.processInfo.activeProcessorCount) cores; \(violated) seeds failed; "
                + "\(evidence) pieces of equivocation evidence committed in \(seedsWithEvidence) seeds"
        )
        print("\(seeds) seeds, \(total) violations")
        // C's exit flushes standard output, so the summary stays the last line.
        if total > 0 { Foundation.exit(1) }
    }
}

/// One seed's result.
struct SeedOutcome: Sendable {
    var violations: [String]
    var diagnostics: String
    var evidence = 0
}

/// Results written by concurrent workers, one slot each.
final class SeedOutcomes: @unchecked Sendable {
    private var slots: [SeedOutcome]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: SeedOutcome(violations: [], diagnostics: ""), count: count) }

    func set(_ index: Int, _ outcome: SeedOutcome) { lock.withLock { slots[index] = outcome } }
    func get(_ index: Int) -> SeedOutcome { lock.withLock { slots[index] } }
}

extension SimulationConfiguration.Fault: ExpressibleByArgument {}
extension SimulationConfiguration.Scenario: ExpressibleByArgument {}
