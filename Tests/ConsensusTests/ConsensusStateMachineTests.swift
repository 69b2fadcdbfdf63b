import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// A few validators' engines wired together in one process with instant, ordered delivery and a manual
/// clock — the smallest network that exercises the rules end to end. (The seeded simulator with delays,
/// drops, partitions and Byzantine validators builds on the same wiring.)
struct TinyNetwork {
    var engines: [ConsensusStateMachine]
    var online: Set<Int>
    var invalidBlocks: Set<Digest> = []
    var queue: [(to: Int, event: ConsensusEvent)] = []
    var timers: [(at: UInt64, node: Int, timeout: ConsensusTimeout)] = []
    var now: UInt64 = 0
    var decisions: [Int: Digest] = [:]
    var certificates: [Int: CommitCertificate] = [:]
    var evidence = 0

    init(powers: [UInt64], online: Set<Int>? = nil) {
        let validators = VoteSetTests.validators(powers)
        var parameters = ConsensusParameters()
        parameters.timeoutProposeMs = 1_000
        engines = powers.indices.map { index in
            ConsensusStateMachine(
                network: NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero),
                height: 1,
                validators: validators,
                selection: ProposerSelection(validators: validators),
                parameters: parameters,
                ownIndex: UInt16(index)
            )
        }
        self.online = online ?? Set(powers.indices)
    }

    static func block(round: UInt32, proposer: Int) -> Digest { SHA256().hash(utf8: "block r\(round) by \(proposer)") }

    mutating func run(until limit: UInt64 = 60_000) {
        for node in online.sorted() { perform(engines[node].start(), node: node) }
        while decisions.count < online.count {
            if !queue.isEmpty {
                let (node, event) = queue.removeFirst()
                perform(engines[node].handle(event), node: node)
            } else if let next = timers.indices.min(by: { timers[$0].at < timers[$1].at }) {
                let timer = timers.remove(at: next)
                now = timer.at
                guard now <= limit else { return }
                perform(engines[timer.node].handle(.timeout(timer.timeout)), node: timer.node)
            } else {
                return
            }
        }
    }

    mutating func perform(_ effects: [ConsensusEffect], node: Int) {
        guard online.contains(node) else { return }
        for effect in effects {
            switch effect {
            case .buildBlock(_, let round):
                queue.append((node, .blockBuilt(Self.block(round: round, proposer: node))))
            case .broadcastProposal(let proposal):
                let signed = SignedProposal(
                    proposal: proposal,
                    signature: try! Signature(bytes: [UInt8](repeating: 1, count: 64))
                )
                for peer in online.sorted() { queue.append((peer, .proposal(signed))) }
            case .broadcastVote(let vote):
                let signed = SignedVote(vote: vote, signature: try! Signature(bytes: [UInt8](repeating: 2, count: 64)))
                for peer in online.sorted() { queue.append((peer, .vote(signed))) }
            case .scheduleTimeout(let timeout, let milliseconds):
                timers.append((now + UInt64(milliseconds), node, timeout))
            case .validateBlock(let hash):
                queue.append((node, .blockValidated(hash, valid: !invalidBlocks.contains(hash))))
            case .decide(let hash, let certificate):
                decisions[node] = hash
                certificates[node] = certificate
            case .evidence:
                evidence += 1
            }
        }
    }
}

struct ConsensusStateMachineTests {
    @Test func fourHonestValidatorsDecideRoundZerosBlock() {
        var network = TinyNetwork(powers: [1, 1, 1, 1])
        network.run()
        let proposer = Int(network.engines[0].proposer(round: 0))
        #expect(network.decisions.count == 4)
        #expect(Set(network.decisions.values) == [TinyNetwork.block(round: 0, proposer: proposer)])
        let certificate = network.certificates[0]!
        #expect(certificate.round == 0 && certificate.signatures.count >= 3)
        #expect(network.now == 0, "no timeout needed")
    }

    @Test func silentProposerIsSkippedByTimeouts() {
        let proposer = Int(ProposerSelection(validators: VoteSetTests.validators([1, 1, 1, 1])).proposer(round: 0))
        var network = TinyNetwork(powers: [1, 1, 1, 1], online: Set(0..<4).subtracting([proposer]))
        network.run()
        #expect(network.decisions.count == 3)
        #expect(Set(network.decisions.values).count == 1)
        #expect(network.certificates.values.allSatisfy { $0.round >= 1 })
        #expect(network.now >= 1_000)
    }

    @Test func invalidProposalIsNotDecided() {
        let proposer = Int(ProposerSelection(validators: VoteSetTests.validators([1, 1, 1, 1])).proposer(round: 0))
        var network = TinyNetwork(powers: [1, 1, 1, 1])
        network.invalidBlocks = [TinyNetwork.block(round: 0, proposer: proposer)]
        network.run()
        #expect(network.decisions.count == 4)
        let decided = Set(network.decisions.values)
        #expect(decided.count == 1 && !decided.contains(TinyNetwork.block(round: 0, proposer: proposer)))
    }

    @Test func twoOfFourOfflineNeverDecide() {
        var network = TinyNetwork(powers: [1, 1, 1, 1], online: [0, 1])
        network.run(until: 30_000)
        #expect(network.decisions.isEmpty)
    }

    @Test func timeoutsGrowPerRoundButAreCapped() {
        var parameters = ConsensusParameters()
        parameters.timeoutProposeMs = 3_000
        parameters.timeoutIncreaseMs = 500
        parameters.timeoutMaximumMs = 30_000
        var engine = ConsensusStateMachine(
            network: NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero),
            height: 1,
            validators: VoteSetTests.validators([1, 1, 1, 1]),
            selection: ProposerSelection(validators: VoteSetTests.validators([1, 1, 1, 1])),
            parameters: parameters,
            ownIndex: nil
        )
        var proposeTimeouts: [UInt32] = []
        for effect in engine.start() {
            if case .scheduleTimeout(let timeout, let milliseconds) = effect, timeout.step == .propose {
                proposeTimeouts.append(milliseconds)
            }
        }
        // An observer votes nothing; drive it through rounds with timeouts only.
        for round in 0..<200 as Range<UInt32> {
            _ = engine.handle(.timeout(ConsensusTimeout(height: 1, round: round, step: .propose)))
            _ = engine.handle(.timeout(ConsensusTimeout(height: 1, round: round, step: .prevote)))
            for effect in engine.handle(.timeout(ConsensusTimeout(height: 1, round: round, step: .precommit))) {
                if case .scheduleTimeout(let timeout, let milliseconds) = effect, timeout.step == .propose {
                    proposeTimeouts.append(milliseconds)
                }
            }
        }
        #expect(proposeTimeouts.prefix(3) == [3_000, 3_500, 4_000])
        #expect(proposeTimeouts.max() == 30_000 && proposeTimeouts.last == 30_000)
        #expect(engine.round == 200)
    }
}
