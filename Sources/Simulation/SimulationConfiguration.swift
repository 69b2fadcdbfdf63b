/// What one simulated run looks like (`Consensus/SPEC.md` §12).
public struct SimulationConfiguration: Sendable, Hashable {
    public enum Fault: String, Sendable, CaseIterable {
        /// Votes for two different values and proposes two different blocks.
        case equivocate
        /// Sends nothing at all.
        case withhold
        /// Proposes blocks that do not validate.
        case invalidProposals = "invalid"
    }

    /// A lesson from the field that a run reproduces on top of (or instead of) the random faults.
    public enum Scenario: String, Sendable, CaseIterable {
        /// Random faults: one partition that heals, honest crashes and restarts.
        case mixed
        /// For an hour of virtual time no proposed block executes (a halted chain waiting for a fix), so rounds
        /// climb; their timeouts must stop at the cap, so the network decides promptly once blocks execute.
        case outage
        /// Every validator crashes at the same moment and restarts from its WAL.
        case allRestart = "all-restart"
        /// One validator restarts again and again; the others must not wait for it.
        case loneRestart = "lone-restart"
        /// One validator is cut off while the others decide several heights; it must hand over to block
        /// sync by itself and rejoin consensus.
        case fallBehind = "fall-behind"
    }

    public var powers: [UInt64]
    /// Indices of Byzantine validators and what they do.
    public var byzantine: [Int: Fault]
    public var heights: UInt64 = 5
    /// Message loss, duplication and delay.
    public var dropRate = 0.05
    public var duplicateRate = 0.05
    public var maximumDelayMs: UInt64 = 300
    /// Honest validators that crash once and restart (losing their in-memory state; consensus state survives
    /// the way the WAL and signing guard keep it).
    public var crashes = 1
    /// One partition that splits the validators for a while, then heals.
    public var partition = true
    /// Validator-set changes committed during the run, each taking effect `validatorSetDelay` heights later.
    public var validatorChanges = 0
    public var validatorSetDelay: UInt64 = 2
    public var scenario = Scenario.mixed
    /// How many of the last processed events a run keeps in `Simulator.trace` (0: none, the fast default).
    public var traceEvents = 0
    /// Virtual time after the last fault within which every height must decide (termination).
    public var terminationBoundMs: UInt64 = 120_000

    public init(powers: [UInt64], byzantine: [Int: Fault]) {
        self.powers = powers
        self.byzantine = byzantine
    }

    /// n equal validators of which the last f are Byzantine, with faults rotating through the kinds.
    public static func standard(validators: Int, byzantine: Int, seed: UInt64) -> SimulationConfiguration {
        var faults: [Int: Fault] = [:]
        for offset in 0..<byzantine {
            faults[validators - 1 - offset] =
                Fault.allCases[Int((seed &+ UInt64(offset)) % UInt64(Fault.allCases.count))]
        }
        return SimulationConfiguration(powers: Array(repeating: 10, count: validators), byzantine: faults)
    }
}
