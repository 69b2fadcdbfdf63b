import Consensus
import LedgerCore
import LedgerCrypto

/// A deterministic simulation of a validator network in one thread (`Consensus/SPEC.md` §12): a virtual
/// clock, a network that delays, drops, duplicates and reorders messages and partitions then heals,
/// honest validators that crash and restart from their write-ahead log, and Byzantine validators. Every
/// choice comes from one seeded generator, so a seed replays exactly. Invariants are checked after every
/// step; a run ends when every honest validator decided every height, or at the termination bound.
public struct Simulator {
    public let configuration: SimulationConfiguration
    public let seed: UInt64

    private var random: SplitMix64
    private var now: UInt64 = 0
    private var sequence: UInt64 = 0
    private var queue = EventQueue<Scheduled>()
    private var nodes: [Node] = []
    private let validators: ValidatorSet
    private let chainID = ChainID(validated: "civic-sim")
    private let placeholderSignature: Signature
    private var parameters = ConsensusParameters()
    private var invalidBlocks: Set<Digest> = []
    private var partition: (start: UInt64, end: UInt64, side: Set<Int>)?
    private var lastFaultEnd: UInt64 = 0
    public private(set) var violations: [String] = []
    public private(set) var decided: [UInt64: Digest] = [:]

    private enum Scheduled {
        case deliver(to: Int, ConsensusEvent)
        case timeout(node: Int, ConsensusTimeout, incarnation: Int)
        case nextHeight(node: Int, incarnation: Int)
        case gossip(node: Int)
        case crash(node: Int)
        case restart(node: Int)
        case sync(node: Int)
    }

    /// One validator: its engine for the current height, what it decided, what it signed, its WAL.
    private struct Node {
        let index: Int
        let fault: SimulationConfiguration.Fault?
        var engine: ConsensusStateMachine
        var selection: ProposerSelection
        var decisions: [UInt64: Digest] = [:]
        var signed: [String: Digest?] = [:]
        var wal: [ConsensusEvent] = []
        var sent: [ConsensusEvent] = []
        var online = true
        var incarnation = 0
        var syncPending = false
        var height: UInt64 { engine.height }
    }

    public init(configuration: SimulationConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.seed = seed
        random = SplitMix64(seed: seed)
        validators = ValidatorSet(
            validators: configuration.powers.enumerated().map { index, power in
                ValidatorSet.Validator(
                    id: OrgID(validated: "SIM-\(index)"),
                    power: power,
                    consensusKey: [UInt8](repeating: UInt8(index), count: 33)
                )
            }
        )
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
        let selection = ProposerSelection(validators: validators)
        for index in configuration.powers.indices {
            nodes.append(
                Node(
                    index: index,
                    fault: configuration.byzantine[index],
                    engine: Self.engine(chainID, 1, validators, selection, parameters, index),
                    selection: selection
                )
            )
        }
    }

    private static func engine(
        _ chainID: ChainID,
        _ height: UInt64,
        _ validators: ValidatorSet,
        _ selection: ProposerSelection,
        _ parameters: ConsensusParameters,
        _ index: Int
    ) -> ConsensusStateMachine {
        ConsensusStateMachine(
            chainID: chainID,
            height: height,
            validators: validators,
            selection: selection,
            parameters: parameters,
            ownIndex: UInt16(index)
        )
    }

    private var honest: [Int] { nodes.indices.filter { nodes[$0].fault == nil } }

    /// Runs the simulation; returns the violations found (empty: every invariant held).
    public mutating func run() -> [String] {
        scheduleFaults()
        for index in nodes.indices {
            perform(nodes[index].engine.start(), node: index)
            schedule(at: 200, .gossip(node: index))
        }
        let deadline = lastFaultEnd + configuration.terminationBoundMs * configuration.heights
        while let next = popNext() {
            now = next.at
            if now > deadline { break }
            process(next.item)
            if honest.allSatisfy({ (nodes[$0].decisions.keys.max() ?? 0) >= configuration.heights }) { break }
        }
        for index in honest where (nodes[index].decisions.keys.max() ?? 0) < configuration.heights {
            violations.append(
                "termination: validator \(index) decided only \(nodes[index].decisions.count) of \(configuration.heights) heights by \(now) ms"
            )
        }
        return violations
    }

    /// One line per validator: where it is and what it decided, for a failing seed's report.
    public var diagnostics: String {
        nodes.map { node in
            "validator \(node.index)\(node.fault.map { " (\($0.rawValue))" } ?? ""): height \(node.height) round \(node.engine.round) "
                + "step \(node.engine.step) online \(node.online) decided \(node.decisions.keys.sorted())"
        }.joined(separator: "\n")
    }

    // MARK: - Faults

    private mutating func scheduleFaults() {
        if configuration.partition {
            let start = 500 + random.next() % 3_000
            let end = start + 2_000 + random.next() % 8_000
            let side = Set(nodes.indices.filter { _ in random.next() % 2 == 0 })
            partition = (start, end, side)
            lastFaultEnd = max(lastFaultEnd, end)
        }
        let candidates = honest
        for _ in 0..<min(configuration.crashes, candidates.count) {
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
            feed(event, to: to)
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
            // Gossip keeps offering a node's messages of its current height, as the network layer does, so
            // losses and partitions delay consensus but cannot stall it.
            if nodes[node].online, nodes[node].fault != .withhold {
                // All of this height's own messages: a locked peer may need prevotes of an old POL round (L28).
                for event in nodes[node].sent { send(event, from: node) }
            }
            schedule(at: now + 1_000, .gossip(node: node))
        case .crash(let node):
            nodes[node].online = false
            nodes[node].incarnation += 1
        case .restart(let node):
            restart(node)
        }
    }

    /// The WAL first, then the engine (SPEC §10).
    private mutating func feed(_ event: ConsensusEvent, to node: Int) {
        nodes[node].wal.append(event)
        perform(nodes[node].engine.handle(event), node: node)
    }

    /// Restart from the WAL: a fresh engine replays every logged input of the current height. The engine is
    /// deterministic, so it reaches the same state and re-derives only what it already signed.
    private mutating func restart(_ node: Int) {
        let height = nodes[node].height
        nodes[node].online = true
        nodes[node].incarnation += 1
        var engine = Self.engine(chainID, height, validators, nodes[node].selection, parameters, node)
        var replayed = engine.start()
        for event in nodes[node].wal { replayed += engine.handle(event) }
        nodes[node].engine = engine
        if engine.decision != nil {
            // It had decided before crashing and the height change was lost with the process.
            advanceHeight(node)
            return
        }
        // Re-arm timers; messages re-derived during replay are the ones already signed.
        for effect in replayed {
            if case .scheduleTimeout(let timeout, let milliseconds) = effect, timeout.round == engine.round {
                schedule(
                    at: now + UInt64(milliseconds),
                    .timeout(node: node, timeout, incarnation: nodes[node].incarnation)
                )
            }
            if case .broadcastVote(let vote) = effect { checkSignature(node: node, vote: vote) }
        }
    }

    private static func height(of event: ConsensusEvent) -> UInt64? {
        switch event {
        case .proposal(let signed): return signed.proposal.height
        case .vote(let signed): return signed.vote.height
        default: return nil
        }
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
            nodes[node].decisions[height] = hash
            if nodes[node].fault == nil, let first = decided[height], first != hash {
                violations.append("agreement: validator \(node) synced \(hash.hex.prefix(12)) at height \(height)")
            }
            nodes[node].incarnation += 1
            advanceHeight(node)
            if height + 1 > configuration.heights { return }
        }
    }

    private mutating func advanceHeight(_ node: Int) {
        let next = nodes[node].height + 1
        guard next <= configuration.heights + 1 else { return }
        _ = nodes[node].selection.next()
        nodes[node].engine = Self.engine(chainID, next, validators, nodes[node].selection, parameters, node)
        nodes[node].wal = []
        nodes[node].sent = []
        perform(nodes[node].engine.start(), node: node)
    }

    // MARK: - Effects

    private mutating func perform(_ effects: [ConsensusEffect], node: Int) {
        let fault = nodes[node].fault
        let height = nodes[node].height
        for effect in effects {
            switch effect {
            case .buildBlock(let blockHeight, let round):
                let block = SHA256().hash(utf8: "block \(blockHeight)/\(round) by \(node) seed \(seed)")
                if fault == .invalidProposals { invalidBlocks.insert(block) }
                feed(.blockBuilt(block), to: node)
            case .broadcastProposal(let proposal):
                guard fault != .withhold else { continue }
                broadcast(.proposal(SignedProposal(proposal: proposal, signature: signature(node))), from: node)
                if fault == .equivocate {
                    let other = Proposal(
                        height: proposal.height,
                        round: proposal.round,
                        blockHash: SHA256().hash(utf8: "conflicting \(proposal.height)/\(proposal.round) by \(node)"),
                        polRound: -1,
                        proposerIndex: proposal.proposerIndex
                    )
                    broadcast(
                        .proposal(SignedProposal(proposal: other, signature: signature(node))),
                        from: node,
                        toHalf: true
                    )
                }
            case .broadcastVote(let vote):
                guard fault != .withhold else { continue }
                if fault == nil { checkSignature(node: node, vote: vote) }
                broadcast(.vote(SignedVote(vote: vote, signature: signature(node))), from: node)
                if fault == .equivocate {
                    let other = Vote(
                        type: vote.type,
                        height: vote.height,
                        round: vote.round,
                        blockHash: vote.blockHash == nil ? SHA256().hash(utf8: "conflicting vote \(vote.round)") : nil,
                        validatorIndex: vote.validatorIndex
                    )
                    broadcast(.vote(SignedVote(vote: other, signature: signature(node))), from: node, toHalf: true)
                }
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
            case .evidence:
                break
            }
        }
    }

    private mutating func record(decision hash: Digest, height: UInt64, certificate: CommitCertificate, node: Int) {
        nodes[node].decisions[height] = hash
        guard nodes[node].fault == nil else { return }
        if invalidBlocks.contains(hash) {
            violations.append("validity: validator \(node) decided invalid block at height \(height)")
        }
        if let first = decided[height], first != hash {
            violations.append(
                "agreement: validator \(node) decided \(hash.hex.prefix(12)) at height \(height), others \(first.hex.prefix(12))"
            )
        }
        decided[height] = decided[height] ?? hash
        let power = certificate.signatures.reduce(UInt64(0)) {
            $0 + validators.validators[Int($1.validatorIndex)].power
        }
        if 3 * power <= 2 * validators.totalPower {
            violations.append("certificate: height \(height) committed with \(power) of \(validators.totalPower) power")
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

    private func signature(_ node: Int) -> Signature { placeholderSignature }

    private mutating func broadcast(_ event: ConsensusEvent, from node: Int, toHalf: Bool = false) {
        if !toHalf { nodes[node].sent.append(event) }
        send(event, from: node, toHalf: toHalf)
    }

    private mutating func send(_ event: ConsensusEvent, from node: Int, toHalf: Bool = false) {
        for peer in nodes.indices where !toHalf || peer % 2 == 0 {
            if peer == node {
                schedule(at: now, .deliver(to: peer, event))
                continue
            }
            if cut(node, peer) || random.chance(configuration.dropRate) { continue }
            let delay = 1 + random.next() % configuration.maximumDelayMs
            schedule(at: now + delay, .deliver(to: peer, event))
            if random.chance(configuration.duplicateRate) {
                schedule(at: now + delay + random.next() % configuration.maximumDelayMs, .deliver(to: peer, event))
            }
        }
    }

    // MARK: - Queue

    private mutating func schedule(at time: UInt64, _ item: Scheduled) {
        sequence += 1
        queue.push(time: time, order: sequence, item)
    }

    /// The earliest event, ties by scheduling order: one deterministic total order.
    private mutating func popNext() -> (at: UInt64, order: UInt64, item: Scheduled)? { queue.pop() }
}
