import Consensus
import LedgerCore
import LedgerCrypto

/// A deterministic simulation of a validator network in one thread (`Consensus/SPEC.md` §12): a virtual
/// clock, a network that delays, drops, duplicates and reorders messages and partitions then heals,
/// honest validators that crash and restart from their write-ahead log, Byzantine validators, and
/// validator-set changes. Every choice comes from one seeded generator, so a seed replays exactly.
/// Invariants are checked after every step; a run ends when every honest validator decided every height,
/// or at the termination bound.
public struct Simulator {
    public let configuration: SimulationConfiguration
    public let seed: UInt64

    private var random: SplitMix64
    private var now: UInt64 = 0
    private var sequence: UInt64 = 0
    private var queue = EventQueue<Scheduled>()
    private var nodes: [Node] = []
    /// The simulated network: no genesis file, so no genesis hash (its messages are never signed for real).
    private let network = NetworkID(chainID: ChainID(validated: "civic-sim"), genesisHash: .zero)
    private let placeholderSignature: Signature
    private var parameters = ConsensusParameters()
    /// V(h) for h = 1 … heights + 1 (index h − 1), following SPEC §1's delay rule.
    private var validatorSets: [ValidatorSet] = []
    private var invalidBlocks: Set<Digest> = []
    private var partition: (start: UInt64, end: UInt64, side: Set<Int>)?
    /// Scenario `outage`: until then every block built is refused by the other validators' execution.
    private var blocksInvalidUntil: UInt64 = 0
    /// Scenario `outage`: the longest any validator spent in one round while no block could execute.
    private var longestOutageRoundMs: UInt64 = 0
    private var lastFaultEnd: UInt64 = 0
    /// Scenario `lone-restart`: the restarting validator's down intervals, to check the others went on.
    private var downtimes: [(node: Int, start: UInt64, end: UInt64)] = []
    public private(set) var violations: [String] = []
    public private(set) var decided: [UInt64: Digest] = [:]
    /// The evidence each built block carries, and every piece committed so far (SPEC §8).
    private var blockEvidence: [Digest: [Equivocation]] = [:]
    public private(set) var committedEvidence: [Equivocation] = []
    /// When and at which height each honest validator first decided, for the progress checks.
    private var decidedAt: [UInt64: UInt64] = [:]
    /// The last events processed, when `configuration.traceEvents` asks for them.
    public private(set) var trace: [String] = []

    private enum Scheduled {
        case deliver(to: Int, ConsensusEvent)
        case timeout(node: Int, ConsensusTimeout, incarnation: Int)
        case nextHeight(node: Int, incarnation: Int)
        case gossip(node: Int)
        case crash(node: Int)
        case restart(node: Int)
        case sync(node: Int)
        case evidence(to: Int, Equivocation)
    }

    /// One validator: its engine for the current height, what it decided and signed, its WAL, and the
    /// proposals and votes of the current height it holds and gossips.
    private struct Node {
        let index: Int
        let fault: SimulationConfiguration.Fault?
        var engine: ConsensusStateMachine
        var selection: ProposerSelection
        var decisions: [UInt64: Digest] = [:]
        var signed: [String: Digest?] = [:]
        var wal: [ConsensusEvent] = []
        /// Proposals and votes of this height by round, as the network layer keeps them for gossip.
        var messages: [UInt32: [ConsensusEvent]] = [:]
        var received: Set<ConsensusEvent> = []
        var online = true
        var incarnation = 0
        var syncPending = false
        /// The height its last block sync reached, and whether it voted or decided by consensus since.
        var syncedTo: UInt64 = 0
        var rejoinedAfterSync = false
        /// Equivocation evidence it detected or was gossiped, waiting for a block (SPEC §8).
        var pool = EvidencePool()
        /// How much of its pending evidence each peer has been offered, and gossip rounds so far.
        var evidenceOffered: [Int: Int] = [:]
        var gossipRounds = 0
        /// When the current round (or height) began.
        var roundStart: UInt64 = 0
        var height: UInt64 { engine.height }
    }

    public init(configuration: SimulationConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.seed = seed
        random = SplitMix64(seed: seed)
        // try?: cannot fail for 64 bytes; the precondition says so.
        guard let zeros = try? Signature(bytes: [UInt8](repeating: 0, count: Signature.byteCount)) else {
            preconditionFailure("64 bytes always make a signature value")
        }
        // The engine never checks signatures (its driver does), so one placeholder serves every message.
        placeholderSignature = zeros
        parameters.timeoutProposeMs = 1_000
        parameters.timeoutPrevoteMs = 500
        parameters.timeoutPrecommitMs = 500
        parameters.timeoutIncreaseMs = 250
        parameters.timeoutMaximumMs = 5_000
        validatorSets = Self.validatorSets(configuration, &random)
        let selection = ProposerSelection(validators: validatorSets[0])
        for index in configuration.powers.indices {
            nodes.append(
                Node(
                    index: index,
                    fault: configuration.byzantine[index],
                    engine: Self.engine(network, 1, validatorSets[0], selection, parameters, index),
                    selection: selection
                )
            )
        }
    }

    /// The validator-set history of a run: genesis holds every validator; `validatorChanges` governance
    /// changes (a power change, a removal, a re-admission) are committed at random heights, and each takes
    /// effect `validatorSetDelay` heights later (SPEC §1). Byzantine validators always hold less than a third.
    private static func validatorSets(
        _ configuration: SimulationConfiguration,
        _ random: inout SplitMix64
    ) -> [ValidatorSet] {
        let heights = Int(configuration.heights) + 1
        var powers: [UInt64?] = configuration.powers.map { $0 }
        var afterBlock: [[UInt64?]] = [powers]  // state after block c, c = 0 … heights
        let changeHeights = Set(
            (0..<configuration.validatorChanges).map { _ in 1 + random.next() % UInt64(max(heights - 2, 1)) }
        )
        for height in 1...heights {
            if changeHeights.contains(UInt64(height)) { powers = change(powers, configuration, &random) }
            afterBlock.append(powers)
        }
        return (1...heights).map { height in
            let source =
                height > Int(configuration.validatorSetDelay) ? height - Int(configuration.validatorSetDelay) : 0
            return set(afterBlock[source])
        }
    }

    private static func change(
        _ powers: [UInt64?],
        _ configuration: SimulationConfiguration,
        _ random: inout SplitMix64
    ) -> [UInt64?] {
        let honest = powers.indices.filter { configuration.byzantine[$0] == nil }
        let member = honest.filter { powers[$0] != nil }
        let removed = honest.filter { powers[$0] == nil }
        var candidate = powers
        switch random.next() % 3 {
        case 0 where !removed.isEmpty:
            candidate[removed[Int(random.next() % UInt64(removed.count))]] = 5 + random.next() % 20
        case 1 where member.count > 1:
            candidate[member[Int(random.next() % UInt64(member.count))]] = nil
        default:
            let chosen = member[Int(random.next() % UInt64(member.count))]
            candidate[chosen] = 1 + random.next() % 30
        }
        let total = candidate.compactMap { $0 }.reduce(0, +)
        let byzantine = configuration.byzantine.keys.compactMap { candidate[$0] }.reduce(0, +)
        if 3 * byzantine < total { return candidate }
        // Too much Byzantine power: raise an honest validator's instead, which always keeps the bound.
        var raised = powers
        if let chosen = member.first { raised[chosen] = (raised[chosen] ?? 0) + total }
        return raised
    }

    private static func set(_ powers: [UInt64?]) -> ValidatorSet {
        ValidatorSet(
            validators: powers.enumerated().compactMap { index, power in
                power.map {
                    ValidatorSet.Validator(
                        id: OrgID(validated: "SIM-\(index)"),
                        power: $0,
                        consensusKey: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 33)
                    )
                }
            }
        )
    }

    private static func engine(
        _ network: NetworkID,
        _ height: UInt64,
        _ validators: ValidatorSet,
        _ selection: ProposerSelection,
        _ parameters: ConsensusParameters,
        _ node: Int
    ) -> ConsensusStateMachine {
        let id = OrgID(validated: "SIM-\(node)")
        return ConsensusStateMachine(
            network: network,
            height: height,
            validators: validators,
            selection: selection,
            parameters: parameters,
            ownIndex: validators.validators.firstIndex { $0.id == id }.map { UInt16($0) }
        )
    }

    private func validators(at height: UInt64) -> ValidatorSet {
        validatorSets[Int(min(height, UInt64(validatorSets.count))) - 1]
    }

    private var honest: [Int] { nodes.indices.filter { nodes[$0].fault == nil } }

    /// Runs the simulation; returns the violations found (empty: every invariant held).
    public mutating func run() -> [String] {
        scheduleFaults()
        for index in nodes.indices {
            perform(nodes[index].engine.start(), node: index)
            schedule(at: 200 + random.next() % 800, .gossip(node: index))
        }
        let deadline = lastFaultEnd + configuration.terminationBoundMs * configuration.heights
        while let next = queue.pop() {
            now = next.at
            if now > deadline { break }
            if configuration.traceEvents > 0 { record(trace: next.item) }
            process(next.item)
            if honest.allSatisfy({ (nodes[$0].decisions.keys.max() ?? 0) >= configuration.heights }) { break }
        }
        checkTermination()
        checkScenario()
        return violations
    }

    /// One line per validator: where it is and what it decided, for a failing seed's report.
    public var diagnostics: String {
        nodes.map { node in
            "validator \(node.index)\(node.fault.map { " (\($0.rawValue))" } ?? ""): height \(node.height) "
                + "round \(node.engine.round) step \(node.engine.step) locked \(node.engine.lockedRound) "
                + "online \(node.online) decided \(node.decisions.keys.sorted())"
        }.joined(separator: "\n")
    }

    private mutating func record(trace item: Scheduled) {
        trace.append("\(now) ms: \(item)")
        if trace.count > configuration.traceEvents { trace.removeFirst(trace.count - configuration.traceEvents) }
    }

    // MARK: - Faults and scenarios

    private mutating func scheduleFaults() {
        switch configuration.scenario {
        case .mixed:
            schedulePartition()
            scheduleCrashes()
        case .outage:
            // An hour in which no block executes (the incident that left a real network at round hundreds).
            blocksInvalidUntil = 1_000 + 3_600_000
            lastFaultEnd = blocksInvalidUntil
        case .allRestart:
            let down = 300 + random.next() % 5_000
            let up = down + 500 + random.next() % 5_000
            for node in nodes.indices {
                schedule(at: down, .crash(node: node))
                schedule(at: up, .restart(node: node))
            }
            lastFaultEnd = up
        case .loneRestart:
            guard let node = honest.last else { return }
            var start: UInt64 = 300 + random.next() % 1_000
            for _ in 0..<3 {
                let end = start + 5_000 + random.next() % 10_000
                schedule(at: start, .crash(node: node))
                schedule(at: end, .restart(node: node))
                downtimes.append((node, start, end))
                start = end + 1_000 + random.next() % 5_000
            }
            lastFaultEnd = downtimes.last?.end ?? 0
        case .fallBehind:
            guard let node = honest.last else { return }
            let start = 100 + random.next() % 500
            let end = start + 5_000 + random.next() % 5_000
            partition = (start, end, [node])
            lastFaultEnd = end
        }
    }

    private mutating func schedulePartition() {
        guard configuration.partition else { return }
        let start = 500 + random.next() % 3_000
        let end = start + 2_000 + random.next() % 8_000
        let side = Set(nodes.indices.filter { _ in random.next() % 2 == 0 })
        partition = (start, end, side)
        lastFaultEnd = max(lastFaultEnd, end)
    }

    private mutating func scheduleCrashes() {
        let candidates = honest
        guard !candidates.isEmpty else { return }
        for _ in 0..<configuration.crashes {
            let node = candidates[Int(random.next() % UInt64(candidates.count))]
            let down = 300 + random.next() % 5_000
            let up = down + 500 + random.next() % 5_000
            schedule(at: down, .crash(node: node))
            schedule(at: up, .restart(node: node))
            lastFaultEnd = max(lastFaultEnd, up)
        }
    }

    private func cut(_ from: Int, _ to: Int) -> Bool {
        guard let partition, now >= partition.start, now < partition.end else { return false }
        return partition.side.contains(from) != partition.side.contains(to)
    }

    // MARK: - Invariants

    private mutating func checkTermination() {
        for index in honest where (nodes[index].decisions.keys.max() ?? 0) < configuration.heights {
            violations.append(
                "termination: validator \(index) decided \(nodes[index].decisions.count) of \(configuration.heights) heights by \(now) ms (faults ended at \(lastFaultEnd) ms)"
            )
        }
    }

    /// The scenario's own promise (SPEC §12, lessons from the field).
    private mutating func checkScenario() {
        switch configuration.scenario {
        case .loneRestart:
            // While the lone validator is down the others hold a quorum, so they must keep deciding.
            for downtime in downtimes where downtime.end - downtime.start >= 8_000 {
                let others = honest.filter { $0 != downtime.node }
                let power = others.compactMap { validators(at: nodes[$0].height).power(of: $0) }.reduce(0, +)
                guard 3 * power > 2 * validators(at: 1).totalPower else { continue }
                let during = decidedAt.values.filter { $0 > downtime.start && $0 < downtime.end }.count
                if during == 0, decided.count < Int(configuration.heights) {
                    violations.append(
                        "progress: no height decided while validator \(downtime.node) was down from \(downtime.start) to \(downtime.end) ms"
                    )
                }
            }
        case .fallBehind:
            guard let node = honest.last, let partition, nodes[node].syncedTo > 0 else { return }
            // It caught up by block sync; unless the run ended right then, it must be voting again.
            if !nodes[node].rejoinedAfterSync, nodes[node].syncedTo < configuration.heights {
                violations.append(
                    "rejoin: validator \(node) synced to height \(nodes[node].syncedTo) after the partition ending at \(partition.end) ms but never voted or decided by consensus again"
                )
            }
        case .outage:
            // Rounds climb for an hour (to round ~350). With the cap (SPEC §5) a round lasts at most a few
            // maximum timeouts however late it is; uncapped, rounds late in the hour would last ~40 s each
            // here (and hours on a real network after a long outage), idling long after it heals.
            let bound = 4 * UInt64(parameters.timeoutMaximumMs)
            if longestOutageRoundMs > bound {
                violations.append(
                    "outage: a round lasted \(longestOutageRoundMs) ms during the outage (bound \(bound) ms): timeouts are not capped"
                )
            }
            let first = decidedAt.values.filter { $0 >= blocksInvalidUntil }.min()
            if let first, first - blocksInvalidUntil > 5 * UInt64(parameters.timeoutMaximumMs) {
                violations.append(
                    "outage: the first height after the outage decided \(first - blocksInvalidUntil) ms after blocks executed again"
                )
            }
        case .mixed, .allRestart:
            break
        }
    }

    // MARK: - Event processing

    private mutating func process(_ item: Scheduled) {
        switch item {
        case .deliver(let to, let event):
            guard nodes[to].online else { return }
            if let height = Self.height(of: event), height > nodes[to].height {
                // Traffic from a later height: this node fell behind and hands over to block sync (SPEC §11).
                if !nodes[to].syncPending {
                    nodes[to].syncPending = true
                    schedule(at: now + 50 + random.next() % 200, .sync(node: to))
                }
                return
            }
            if let round = Self.round(of: event), Self.height(of: event) == nodes[to].height,
                nodes[to].received.insert(event).inserted
            {
                nodes[to].messages[round, default: []].append(event)
            }
            feed(event, to: to)
        case .evidence(let to, let evidence):
            // A real node checks the pair against V(h) first (`Equivocation.verify`); here signatures are
            // placeholders, and the framing invariant below checks what gets committed instead.
            if nodes[to].online, nodes[to].fault == nil { nodes[to].pool.add(evidence) }
        case .sync(let node):
            nodes[node].syncPending = false
            guard nodes[node].online else { return }
            blockSync(node)
        case .timeout(let node, let timeout, let incarnation):
            guard nodes[node].online, nodes[node].incarnation == incarnation else { return }
            feed(.timeout(timeout), to: node)
        case .nextHeight(let node, let incarnation):
            guard nodes[node].online, nodes[node].incarnation == incarnation else { return }
            advanceHeight(node)
        case .gossip(let node):
            if nodes[node].online, nodes[node].fault != .withhold {
                gossip(from: node)
                nodes[node].gossipRounds += 1
            }
            schedule(at: now + 1_000, .gossip(node: node))
        case .crash(let node):
            nodes[node].online = false
            nodes[node].incarnation += 1
        case .restart(let node):
            restart(node)
        }
    }

    /// Peer-state-aware gossip, as the network layer does it (CometBFT's consensus reactor): to each peer at
    /// this height, the proposals and votes of the peer's round, the round before, this node's round, and the
    /// POL rounds those proposals cite (L28 needs them) that the peer does not hold yet. A peer at a lower
    /// height is told this node's height, which starts its block sync. Losses and partitions therefore delay
    /// consensus but cannot stall it.
    private mutating func gossip(from node: Int) {
        let height = nodes[node].height
        for peer in nodes.indices where peer != node && nodes[peer].online && !cut(node, peer) {
            offerEvidence(from: node, to: peer)
            if nodes[peer].height < height {
                if let round = nodes[node].messages.keys.min(), let any = nodes[node].messages[round]?.first {
                    send(any, from: node, to: peer)
                }
                continue
            }
            guard nodes[peer].height == height else { continue }
            let peerRound = nodes[peer].engine.round
            var rounds: Set<UInt32> = [peerRound, nodes[node].engine.round]
            if peerRound > 0 { rounds.insert(peerRound - 1) }
            var polRounds: Set<UInt32> = []
            for round in rounds {
                for case .proposal(let signed) in nodes[node].messages[round] ?? [] where signed.proposal.polRound >= 0
                {
                    polRounds.insert(UInt32(signed.proposal.polRound))
                }
            }
            for round in rounds.union(polRounds).sorted() {
                for event in nodes[node].messages[round] ?? [] where !nodes[peer].engine.holds(event) {
                    if polRounds.contains(round), !rounds.contains(round), !Self.isPrevote(event) { continue }
                    send(event, from: node, to: peer)
                }
            }
        }
    }

    /// Evidence gossip: each peer is offered pending evidence it does not hold, each piece once, and everything
    /// again every 30 rounds (for what the network lost), so a long halt full of equivocations costs little.
    private mutating func offerEvidence(from node: Int, to peer: Int) {
        let pending = nodes[node].pool.pending
        var from = nodes[node].evidenceOffered[peer] ?? 0
        if from > pending.count || nodes[node].gossipRounds % 30 == 0 { from = 0 }
        for evidence in pending[from...]
        where !nodes[peer].pool.holds(evidence) && !random.chance(configuration.dropRate) {
            schedule(at: now + 1 + random.next() % configuration.maximumDelayMs, .evidence(to: peer, evidence))
        }
        nodes[node].evidenceOffered[peer] = pending.count
    }

    /// The WAL first, then the engine (SPEC §10).
    private mutating func feed(_ event: ConsensusEvent, to node: Int) {
        nodes[node].wal.append(event)
        let before = (nodes[node].height, nodes[node].engine.round)
        perform(nodes[node].engine.handle(event), node: node)
        if (nodes[node].height, nodes[node].engine.round) != before {
            if now < blocksInvalidUntil {
                longestOutageRoundMs = max(longestOutageRoundMs, now - nodes[node].roundStart)
            }
            nodes[node].roundStart = now
        }
    }

    /// Restart from the WAL: a fresh engine replays every logged input of the current height. The engine is
    /// deterministic, so it reaches the same state and re-derives only what it already signed.
    private mutating func restart(_ node: Int) {
        let height = nodes[node].height
        nodes[node].online = true
        nodes[node].incarnation += 1
        var engine = Self.engine(network, height, validators(at: height), nodes[node].selection, parameters, node)
        var replayed = engine.start()
        for event in nodes[node].wal { replayed += engine.handle(event) }
        nodes[node].engine = engine
        if engine.decision != nil {
            // It had decided before crashing and the height change was lost with the process.
            advanceHeight(node)
            return
        }
        // Re-arm timers; messages re-derived during replay are the ones already signed (the signing guard
        // answers them with the stored signatures).
        for effect in replayed {
            if case .scheduleTimeout(let timeout, let milliseconds) = effect, timeout.round == engine.round {
                schedule(
                    at: now + UInt64(milliseconds),
                    .timeout(node: node, timeout, incarnation: nodes[node].incarnation)
                )
            }
            if case .broadcastVote(let vote) = effect, nodes[node].fault == nil {
                checkSignature(node: node, vote: vote)
            }
        }
    }

    private static func height(of event: ConsensusEvent) -> UInt64? {
        switch event {
        case .proposal(let signed): return signed.proposal.height
        case .vote(let signed): return signed.vote.height
        default: return nil
        }
    }

    private static func round(of event: ConsensusEvent) -> UInt32? {
        switch event {
        case .proposal(let signed): return signed.proposal.round
        case .vote(let signed): return signed.vote.round
        default: return nil
        }
    }

    private static func isPrevote(_ event: ConsensusEvent) -> Bool {
        if case .vote(let signed) = event { return signed.vote.type == .prevote }
        return false
    }

    /// Block sync: fetch decided blocks with their certificates from a reachable peer that has them, and
    /// catch up height by height (a real node verifies each certificate against the validator set; here
    /// the peer's certificate was checked when that peer decided).
    private mutating func blockSync(_ node: Int) {
        while true {
            let height = nodes[node].height
            guard
                let source = nodes.indices.first(where: {
                    $0 != node && nodes[$0].online && nodes[$0].fault == nil && !cut($0, node)
                        && nodes[$0].decisions[height] != nil
                }),
                let hash = nodes[source].decisions[height]
            else { return }
            feed(.blockCommitted(hash), to: node)
            nodes[node].decisions[height] = hash
            nodes[node].pool.committed(blockEvidence[hash] ?? [])
            nodes[node].syncedTo = height
            nodes[node].rejoinedAfterSync = false
            if nodes[node].fault == nil, let first = decided[height], first != hash {
                violations.append("agreement: validator \(node) synced \(hash.hex.prefix(12)) at height \(height)")
            }
            nodes[node].incarnation += 1
            advanceHeight(node)
            if height + 1 > configuration.heights { return }
        }
    }

    private mutating func advanceHeight(_ node: Int) {
        let current = nodes[node].height
        let next = current + 1
        guard next <= configuration.heights + 1 else { return }
        _ = nodes[node].selection.next()
        let (old, new) = (validators(at: current), validators(at: next))
        if old != new { nodes[node].selection = nodes[node].selection.transitioned(from: old, to: new) }
        nodes[node].engine = Self.engine(network, next, new, nodes[node].selection, parameters, node)
        nodes[node].wal = []
        nodes[node].messages = [:]
        nodes[node].received = []
        nodes[node].pool.expire(beforeHeight: next)
        perform(nodes[node].engine.start(), node: node)
    }

    /// The first decision of a height commits the evidence its block carries (SPEC §8). Evidence may only
    /// ever accuse a validator that did equivocate (no honest validator is framed), and one offence is
    /// committed once.
    private mutating func commitEvidence(of block: Digest, height: UInt64) {
        for piece in blockEvidence[block] ?? [] {
            let accused = validators(at: piece.height).validators[Int(piece.validatorIndex)].id
            let node = nodes.indices.first { OrgID(validated: "SIM-\($0)") == accused }
            if node.map({ nodes[$0].fault != .equivocate }) ?? true {
                violations.append("evidence: block \(height) accuses \(accused), which never equivocated")
            }
            let offence = (piece.height, piece.round, piece.kind, piece.validatorIndex)
            if committedEvidence.contains(where: { ($0.height, $0.round, $0.kind, $0.validatorIndex) == offence }) {
                violations.append("evidence: block \(height) commits an offence already committed")
            }
            committedEvidence.append(piece)
        }
    }

    // MARK: - Effects

    private mutating func perform(_ effects: [ConsensusEffect], node: Int) {
        let fault = nodes[node].fault
        let height = nodes[node].height
        for effect in effects {
            switch effect {
            case .buildBlock(let blockHeight, let round):
                let block = SHA256().hash(utf8: "block \(blockHeight)/\(round) by \(node) seed \(seed)")
                blockEvidence[block] = nodes[node].pool.proposal(forHeight: blockHeight)
                if fault == .invalidProposals || now < blocksInvalidUntil { invalidBlocks.insert(block) }
                feed(.blockBuilt(block), to: node)
            case .broadcastProposal(let proposal):
                guard fault != .withhold else { continue }
                let signed = ConsensusEvent.proposal(
                    SignedProposal(proposal: proposal, signature: placeholderSignature)
                )
                guard fault == .equivocate else {
                    broadcast(signed, from: node)
                    continue
                }
                // Split the network: one block to the odd-numbered validators, another to the even ones.
                let other = Proposal(
                    height: proposal.height,
                    round: proposal.round,
                    blockHash: SHA256().hash(utf8: "conflicting \(proposal.height)/\(proposal.round) by \(node)"),
                    polRound: -1,
                    proposerIndex: proposal.proposerIndex
                )
                broadcast(signed, from: node, half: 1)
                broadcast(
                    .proposal(SignedProposal(proposal: other, signature: placeholderSignature)),
                    from: node,
                    half: 0
                )
            case .broadcastVote(let vote):
                guard fault != .withhold else { continue }
                if fault == nil {
                    checkSignature(node: node, vote: vote)
                    if nodes[node].syncedTo > 0, vote.height > nodes[node].syncedTo {
                        nodes[node].rejoinedAfterSync = true
                    }
                }
                let signed = ConsensusEvent.vote(SignedVote(vote: vote, signature: placeholderSignature))
                guard fault == .equivocate else {
                    broadcast(signed, from: node)
                    continue
                }
                // Split the network: this vote to the odd-numbered validators, a vote for a real alternative to
                // the even ones — nil instead of a block, or instead of nil a block some proposal of the round
                // offers (so both halves can be pushed towards different decisions).
                let alternative =
                    vote.blockHash == nil
                    ? proposedBlocks(node: node, round: vote.round).first
                        ?? SHA256().hash(utf8: "conflicting vote \(vote.round)")
                    : nil
                let other = Vote(
                    type: vote.type,
                    height: vote.height,
                    round: vote.round,
                    blockHash: alternative,
                    validatorIndex: vote.validatorIndex
                )
                broadcast(signed, from: node, half: 1)
                broadcast(.vote(SignedVote(vote: other, signature: placeholderSignature)), from: node, half: 0)
            case .scheduleTimeout(let timeout, let milliseconds):
                schedule(
                    at: now + UInt64(milliseconds),
                    .timeout(node: node, timeout, incarnation: nodes[node].incarnation)
                )
            case .validateBlock(let hash):
                feed(.blockValidated(hash, valid: !invalidBlocks.contains(hash)), to: node)
            case .decide(let hash, let certificate):
                record(decision: hash, height: height, certificate: certificate, node: node)
                schedule(at: now + 200, .nextHeight(node: node, incarnation: nodes[node].incarnation))
            case .evidence(let evidence):
                if fault == nil { nodes[node].pool.add(evidence) }
            }
        }
    }

    private mutating func record(decision hash: Digest, height: UInt64, certificate: CommitCertificate, node: Int) {
        nodes[node].decisions[height] = hash
        guard nodes[node].fault == nil else { return }
        // Deciding by consensus (not by sync) after a sync is rejoining, even without a vote of its own (L49).
        if nodes[node].syncedTo > 0, height > nodes[node].syncedTo { nodes[node].rejoinedAfterSync = true }
        if invalidBlocks.contains(hash) {
            violations.append("validity: validator \(node) decided invalid block at height \(height)")
        }
        if let first = decided[height], first != hash {
            violations.append(
                "agreement: validator \(node) decided \(hash.hex.prefix(12)) at height \(height), others \(first.hex.prefix(12))"
            )
        }
        if decided[height] == nil { commitEvidence(of: hash, height: height) }
        nodes[node].pool.committed(blockEvidence[hash] ?? [])
        decided[height] = decided[height] ?? hash
        decidedAt[height] = decidedAt[height] ?? now
        let set = validators(at: height)
        let power = certificate.signatures.reduce(UInt64(0)) { $0 + set.validators[Int($1.validatorIndex)].power }
        if 3 * power <= 2 * set.totalPower {
            violations.append("certificate: height \(height) committed with \(power) of \(set.totalPower) power")
        }
    }

    /// No honest double-sign: one value per (height, round, type) for every honest validator.
    private mutating func checkSignature(node: Int, vote: Vote) {
        let key = "\(vote.height)/\(vote.round)/\(vote.type)"
        if let previous = nodes[node].signed[key], previous != vote.blockHash {
            violations.append("double-sign: honest validator \(node) signed two \(vote.type)s at \(key)")
        }
        nodes[node].signed[key] = vote.blockHash
    }

    /// Sends to every validator, or only to those whose index has parity `half` (plus the sender itself,
    /// which must see what it signed).
    private mutating func broadcast(_ event: ConsensusEvent, from node: Int, half: Int? = nil) {
        for peer in nodes.indices where half == nil || peer % 2 == half || peer == node {
            send(event, from: node, to: peer)
        }
    }

    /// The blocks of the proposals of `round` that validator `node` holds.
    private func proposedBlocks(node: Int, round: UInt32) -> [Digest] {
        (nodes[node].messages[round] ?? []).compactMap { event in
            if case .proposal(let signed) = event { return signed.proposal.blockHash }
            return nil
        }
    }

    private mutating func send(_ event: ConsensusEvent, from node: Int, to peer: Int) {
        if peer == node {
            schedule(at: now, .deliver(to: peer, event))
            return
        }
        if cut(node, peer) || random.chance(configuration.dropRate) { return }
        let delay = 1 + random.next() % configuration.maximumDelayMs
        schedule(at: now + delay, .deliver(to: peer, event))
        if random.chance(configuration.duplicateRate) {
            schedule(at: now + delay + random.next() % configuration.maximumDelayMs, .deliver(to: peer, event))
        }
    }

    /// Adds to the agenda; ties in time keep scheduling order, one deterministic total order.
    private mutating func schedule(at time: UInt64, _ item: Scheduled) {
        sequence += 1
        queue.push(time: time, order: sequence, item)
    }
}

extension ValidatorSet {
    /// The power of simulated validator `node` in this set, if it is a member.
    fileprivate func power(of node: Int) -> UInt64? {
        let id = OrgID(validated: "SIM-\(node)")
        return validators.first { $0.id == id }?.power
    }
}
