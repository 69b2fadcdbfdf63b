import LedgerCore
import LedgerCrypto

/// One height of Tendermint consensus as a pure state machine (SPEC §3–§5): events in, effects out; no
/// I/O, clock or randomness. The driver creates one per height and discards it after `decide`.
/// Comments cite the rule lines of Algorithm 1 (L11…L67).
public struct ConsensusStateMachine: Sendable {
    /// How far ahead of the current round votes are kept: enough for L55, bounded so a Byzantine validator
    /// cannot make a node hold vote sets for millions of rounds.
    public static let maximumRoundsAhead: UInt32 = 64

    /// The network its signed messages are for (SPEC §2).
    public let network: NetworkID
    public let height: UInt64
    public let validators: ValidatorSet
    public let parameters: ConsensusParameters
    /// Proposer priorities at the start of this height.
    public let selection: ProposerSelection
    /// This node's index in the validator set; nil for an observer, which follows but never votes.
    public let ownIndex: UInt16?

    public private(set) var round: UInt32 = 0
    public private(set) var step: ConsensusStep = .propose
    public private(set) var lockedValue: Digest?
    public private(set) var lockedRound: Int64 = -1
    public private(set) var validValue: Digest?
    public private(set) var validRound: Int64 = -1
    public private(set) var decision: Digest?

    /// Proposals by round and block hash: the first from the proposer, plus any other of its proposals
    /// whose block a validator's vote backs (a Byzantine proposer may send several; SPEC §4, "Proposals").
    private var proposals: [UInt32: [Digest: SignedProposal]] = [:]
    /// The block of the first proposal of each round: the one L22/L28 prevote on.
    private var firstProposal: [UInt32: Digest] = [:]
    private var proposalEquivocations: Set<UInt32> = []
    private var prevotes: [UInt32: VoteSet] = [:]
    private var precommits: [UInt32: VoteSet] = [:]
    private var validity: [Digest: Bool] = [:]
    private var validationRequested: Set<Digest> = []
    private var prevoteTimeoutScheduled: Set<UInt32> = []
    private var precommitTimeoutScheduled: Set<UInt32> = []
    private var lockedOrValidUpdated: Set<UInt32> = []
    /// Rounds above the current one that some message names (L55 looks only at these).
    private var laterRounds: Set<UInt32> = []
    /// Rounds whose precommits hold a quorum for a block (L49 looks only at these).
    private var precommitQuorumRounds: Set<UInt32> = []
    /// True while the engine waits for the block it asked to build (L11).
    public private(set) var awaitingBlock = false

    public init(
        network: NetworkID,
        height: UInt64,
        validators: ValidatorSet,
        selection: ProposerSelection,
        parameters: ConsensusParameters,
        ownIndex: UInt16?
    ) {
        self.network = network
        self.height = height
        self.validators = validators
        self.selection = selection
        self.parameters = parameters
        self.ownIndex = ownIndex
    }

    /// The proposer of `round` at this height (SPEC §6).
    public func proposer(round: UInt32) -> UInt16 { UInt16(selection.proposer(round: round)) }

    /// Starts round 0 (L10).
    public mutating func start() -> [ConsensusEffect] {
        var effects: [ConsensusEffect] = []
        startRound(0, &effects)
        return effects
    }

    /// Handles one event and returns what to do, in order.
    public mutating func handle(_ event: ConsensusEvent) -> [ConsensusEffect] {
        guard decision == nil else { return [] }
        var effects: [ConsensusEffect] = []
        switch event {
        case .proposal(let signed): receive(signed, &effects)
        case .vote(let signed): receive(signed, &effects)
        case .timeout(let timeout): timeoutFired(timeout, &effects)
        case .blockValidated(let hash, let valid):
            validity[hash] = valid
        case .blockBuilt(let hash):
            guard awaitingBlock, let own = ownIndex else { break }
            awaitingBlock = false
            validity[hash] = true
            effects.append(
                .broadcastProposal(
                    Proposal(height: height, round: round, blockHash: hash, polRound: -1, proposerIndex: own)
                )
            )
        case .blockCommitted(let hash):
            // SPEC §11: the node committed this height's block (perhaps one block sync fetched): stop here.
            decision = hash
            return []
        }
        applyRules(&effects)
        return effects
    }

    /// True when the engine holds this proposal or counts this vote: what a peer's gossip need not offer again
    /// (the network layer announces it, as CometBFT's HasVote does).
    public func holds(_ event: ConsensusEvent) -> Bool {
        switch event {
        case .proposal(let signed):
            return signed.proposal.height == height
                && proposals[signed.proposal.round]?[signed.proposal.blockHash] != nil
        case .vote(let signed):
            guard signed.vote.height == height else { return false }
            let set = signed.vote.type == .prevote ? prevotes[signed.vote.round] : precommits[signed.vote.round]
            return set?.counts(signed) ?? false
        case .timeout, .blockValidated, .blockBuilt, .blockCommitted:
            return false
        }
    }

    // MARK: - Inputs

    private mutating func receive(_ signed: SignedProposal, _ effects: inout [ConsensusEffect]) {
        let proposal = signed.proposal
        let proposalRound = proposal.round
        guard proposal.height == height, proposalRound <= round + Self.maximumRoundsAhead,
            proposal.polRound >= -1, proposal.polRound < Int64(proposalRound),
            proposal.proposerIndex == proposer(round: proposalRound),
            proposals[proposalRound]?[proposal.blockHash] == nil
        else { return }
        if let first = firstProposal[proposalRound], let kept = proposals[proposalRound]?[first] {
            if proposalEquivocations.insert(proposalRound).inserted {
                effects.append(.evidence(.proposals(kept, signed)))
            }
            // Another block from the same proposer: keep it only once a vote backs it, which bounds what a
            // Byzantine proposer can make a node hold; gossip offers it again later.
            let backed = [prevotes[proposalRound], precommits[proposalRound]].contains {
                ($0?.power(for: proposal.blockHash) ?? 0) > 0
            }
            guard backed else { return }
        } else {
            firstProposal[proposalRound] = proposal.blockHash
        }
        proposals[proposalRound, default: [:]][proposal.blockHash] = signed
        if proposalRound > round { laterRounds.insert(proposalRound) }
        if validity[proposal.blockHash] == nil, validationRequested.insert(proposal.blockHash).inserted {
            effects.append(.validateBlock(proposal.blockHash))
        }
    }

    private mutating func receive(_ signed: SignedVote, _ effects: inout [ConsensusEffect]) {
        let vote = signed.vote
        guard vote.height == height, vote.round <= round + Self.maximumRoundsAhead else { return }
        var set = voteSet(vote.type, vote.round)
        if case .equivocation(let first, let second) = set.add(signed) {
            effects.append(.evidence(.votes(first, second)))
        }
        if vote.type == .precommit, case .some(.some) = set.quorumValue { precommitQuorumRounds.insert(vote.round) }
        if vote.round > round { laterRounds.insert(vote.round) }
        store(set)
    }

    private mutating func timeoutFired(_ timeout: ConsensusTimeout, _ effects: inout [ConsensusEffect]) {
        guard timeout.height == height, timeout.round == round, timeout.step == step else { return }
        switch step {
        case .propose:
            // L57: no acceptable proposal in time.
            vote(.prevote, nil, &effects)
            step = .prevote
        case .prevote:
            // L61
            vote(.precommit, nil, &effects)
            step = .precommit
        case .precommit:
            // L65
            startRound(round + 1, &effects)
        }
    }

    // MARK: - Rules

    /// Applies every upon-rule whose condition holds, until none does: one event can enable several.
    private mutating func applyRules(_ effects: inout [ConsensusEffect]) {
        var progressed = true
        while progressed && decision == nil {
            progressed = false
            progressed = decideIfPossible(&effects) || progressed  // L49
            if decision != nil { return }
            progressed = skipRoundIfBehind(&effects) || progressed  // L55
            progressed = prevoteOnProposal(&effects) || progressed  // L22, L28
            progressed = reactToPrevotes(&effects) || progressed  // L34, L36, L44
            progressed = reactToPrecommits(&effects) || progressed  // L47
        }
    }

    /// L11 StartRound.
    private mutating func startRound(_ newRound: UInt32, _ effects: inout [ConsensusEffect]) {
        round = newRound
        step = .propose
        awaitingBlock = false
        if let own = ownIndex, proposer(round: newRound) == own {
            if let value = validValue {
                effects.append(
                    .broadcastProposal(
                        Proposal(
                            height: height,
                            round: newRound,
                            blockHash: value,
                            polRound: validRound,
                            proposerIndex: own
                        )
                    )
                )
            } else {
                awaitingBlock = true
                effects.append(.buildBlock(height: height, round: newRound))
            }
        }
        effects.append(
            .scheduleTimeout(
                ConsensusTimeout(height: height, round: newRound, step: .propose),
                milliseconds: timeout(.propose, newRound)
            )
        )
    }

    /// L22 and L28: prevote on the current round's proposal.
    private mutating func prevoteOnProposal(_ effects: inout [ConsensusEffect]) -> Bool {
        guard step == .propose, let first = firstProposal[round], let proposal = proposals[round]?[first]?.proposal,
            let valid = validity[proposal.blockHash]
        else {
            return false
        }
        let value = proposal.blockHash
        if proposal.polRound == -1 {
            // L22
            let acceptable = valid && (lockedRound == -1 || lockedValue == value)
            vote(.prevote, acceptable ? value : nil, &effects)
        } else {
            // L28: needs a quorum of prevotes for the value in the POL round.
            let polRound = UInt32(proposal.polRound)
            guard let pol = prevotes[polRound], pol.isQuorum(pol.power(for: value)) else { return false }
            let acceptable = valid && (lockedRound <= proposal.polRound || lockedValue == value)
            vote(.prevote, acceptable ? value : nil, &effects)
        }
        step = .prevote
        return true
    }

    private mutating func reactToPrevotes(_ effects: inout [ConsensusEffect]) -> Bool {
        guard let set = prevotes[round] else { return false }
        var progressed = false
        // L34
        if step == .prevote, set.hasQuorumOfAnyValues, prevoteTimeoutScheduled.insert(round).inserted {
            effects.append(
                .scheduleTimeout(
                    ConsensusTimeout(height: height, round: round, step: .prevote),
                    milliseconds: timeout(.prevote, round)
                )
            )
            progressed = true
        }
        // L36
        if step >= .prevote, case .some(.some(let value)) = set.quorumValue, proposals[round]?[value] != nil,
            validity[value] == true, !lockedOrValidUpdated.contains(round)
        {
            lockedOrValidUpdated.insert(round)
            if step == .prevote {
                lockedValue = value
                lockedRound = Int64(round)
                vote(.precommit, value, &effects)
                step = .precommit
            }
            validValue = value
            validRound = Int64(round)
            progressed = true
        }
        // L44
        if step == .prevote, case .some(.none) = set.quorumValue {
            vote(.precommit, nil, &effects)
            step = .precommit
            progressed = true
        }
        return progressed
    }

    /// L47
    private mutating func reactToPrecommits(_ effects: inout [ConsensusEffect]) -> Bool {
        guard let set = precommits[round], set.hasQuorumOfAnyValues, precommitTimeoutScheduled.insert(round).inserted
        else {
            return false
        }
        effects.append(
            .scheduleTimeout(
                ConsensusTimeout(height: height, round: round, step: .precommit),
                milliseconds: timeout(.precommit, round)
            )
        )
        return true
    }

    /// L49: a proposal and a quorum of precommits for it, in any round.
    private mutating func decideIfPossible(_ effects: inout [ConsensusEffect]) -> Bool {
        for decisionRound in precommitQuorumRounds.sorted() {
            guard let set = precommits[decisionRound] else { continue }
            guard case .some(.some(let value)) = set.quorumValue, proposals[decisionRound]?[value] != nil else {
                continue
            }
            guard let valid = validity[value] else {
                if validationRequested.insert(value).inserted { effects.append(.validateBlock(value)) }
                continue
            }
            guard valid else { continue }
            decision = value
            let signatures = set.votes(for: value).map {
                CommitCertificate.Signature(validatorIndex: $0.vote.validatorIndex, signature: $0.signature)
            }
            effects.append(
                .decide(
                    blockHash: value,
                    certificate: CommitCertificate(
                        height: height,
                        round: decisionRound,
                        blockHash: value,
                        signatures: signatures
                    )
                )
            )
            return true
        }
        return false
    }

    /// L55: validators holding more than a third of the power are already in a later round.
    private mutating func skipRoundIfBehind(_ effects: inout [ConsensusEffect]) -> Bool {
        laterRounds = laterRounds.filter { $0 > round }
        for candidate in laterRounds.sorted() {
            var senders = Set<UInt16>()
            if let set = prevotes[candidate] { senders.formUnion(set.voters) }
            if let set = precommits[candidate] { senders.formUnion(set.voters) }
            if proposals[candidate] != nil { senders.insert(proposer(round: candidate)) }
            let power = senders.reduce(UInt64(0)) { $0 + validators.validators[Int($1)].power }
            if 3 * power > validators.totalPower {
                startRound(candidate, &effects)
                return true
            }
        }
        return false
    }

    // MARK: - Helpers

    private mutating func vote(_ type: VoteType, _ value: Digest?, _ effects: inout [ConsensusEffect]) {
        guard let own = ownIndex else { return }
        effects.append(
            .broadcastVote(Vote(type: type, height: height, round: round, blockHash: value, validatorIndex: own))
        )
    }

    private func voteSet(_ type: VoteType, _ round: UInt32) -> VoteSet {
        (type == .prevote ? prevotes[round] : precommits[round])
            ?? VoteSet(type: type, height: height, round: round, validators: validators)
    }

    private mutating func store(_ set: VoteSet) {
        if set.type == .prevote { prevotes[set.round] = set } else { precommits[set.round] = set }
    }

    /// SPEC §5: base + round × increase, capped.
    func timeout(_ step: ConsensusStep, _ round: UInt32) -> UInt32 {
        let base: UInt32
        switch step {
        case .propose: base = parameters.timeoutProposeMs
        case .prevote: base = parameters.timeoutPrevoteMs
        case .precommit: base = parameters.timeoutPrecommitMs
        }
        let grown = UInt64(base) + UInt64(round) * UInt64(parameters.timeoutIncreaseMs)
        return UInt32(min(grown, UInt64(parameters.timeoutMaximumMs)))
    }
}
