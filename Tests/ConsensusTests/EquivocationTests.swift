import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// What an engine does with a Byzantine validator's conflicting messages (SPEC §1 "Equivocators", §4
/// "Proposals", §8).
struct EquivocationTests {
    static let validators = VoteSetTests.validators([1, 1, 1, 1])
    static let signature = try! Signature(bytes: [UInt8](repeating: 9, count: 64))

    static func engine(own: UInt16 = 0) -> ConsensusStateMachine {
        ConsensusStateMachine(
            network: NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero),
            height: 5,
            validators: validators,
            selection: ProposerSelection(validators: validators),
            parameters: ConsensusParameters(),
            ownIndex: own
        )
    }

    static func proposal(_ block: Digest, round: UInt32 = 0, by proposer: UInt16) -> ConsensusEvent {
        .proposal(
            SignedProposal(
                proposal: Proposal(height: 5, round: round, blockHash: block, polRound: -1, proposerIndex: proposer),
                signature: signature
            )
        )
    }

    static func vote(_ type: VoteType, _ block: Digest?, by index: UInt16, round: UInt32 = 0) -> ConsensusEvent {
        .vote(
            SignedVote(
                vote: Vote(type: type, height: 5, round: round, blockHash: block, validatorIndex: index),
                signature: signature
            )
        )
    }

    /// A Byzantine proposer sends block X to this node and Y to the others, who commit Y. This node must
    /// decide Y once it holds Y's proposal, which it keeps because precommits back it.
    @Test func aNodeThatHeardTheOtherProposalStillDecides() {
        var engine = Self.engine(own: 0)
        let proposer = engine.proposer(round: 0)
        let x = SHA256().hash(utf8: "x")
        let y = SHA256().hash(utf8: "y")
        _ = engine.start()
        var effects = engine.handle(Self.proposal(x, by: proposer))
        #expect(effects.contains(.validateBlock(x)))
        _ = engine.handle(.blockValidated(x, valid: true))
        // Y before any vote backs it: evidence, and not kept.
        effects = engine.handle(Self.proposal(y, by: proposer))
        #expect(effects.contains { if case .evidence(.proposals) = $0 { return true } else { return false } })
        #expect(!engine.holds(Self.proposal(y, by: proposer)))
        for index: UInt16 in 1...3 { _ = engine.handle(Self.vote(.precommit, y, by: index)) }
        #expect(engine.decision == nil, "no proposal for y held yet")
        // Gossip offers Y again: now kept, validated, decided — and no second evidence report.
        effects = engine.handle(Self.proposal(y, by: proposer))
        #expect(effects == [.validateBlock(y)])
        effects = engine.handle(.blockValidated(y, valid: true))
        #expect(engine.decision == y)
        #expect(effects.contains { if case .decide(let hash, _) = $0 { return hash == y } else { return false } })
    }

    /// The lock case that stalled the simulator: the equivocator's vote for X reached this node before anyone
    /// else's vote for X, so it did not count; `holds` says so, and gossip offers it again.
    @Test func holdsReportsOnlyCountedVotes() {
        var engine = Self.engine(own: 0)
        let x = SHA256().hash(utf8: "x")
        _ = engine.start()
        _ = engine.handle(Self.vote(.prevote, nil, by: 3))
        let equivocation = engine.handle(Self.vote(.prevote, x, by: 3))
        #expect(equivocation.contains { if case .evidence(.votes) = $0 { return true } else { return false } })
        #expect(engine.holds(Self.vote(.prevote, nil, by: 3)))
        #expect(!engine.holds(Self.vote(.prevote, x, by: 3)))
        _ = engine.handle(Self.vote(.prevote, x, by: 1))
        #expect(engine.handle(Self.vote(.prevote, x, by: 3)).isEmpty)
        #expect(engine.holds(Self.vote(.prevote, x, by: 3)))
        #expect(!engine.holds(Self.vote(.prevote, x, by: 2)))
    }

    /// SPEC §11: once the node committed the height's block (here one fetched by block sync), the engine
    /// stops: no more votes, timeouts or decisions at this height.
    @Test func aCommittedBlockEndsTheHeight() {
        var engine = Self.engine(own: 0)
        let synced = SHA256().hash(utf8: "synced")
        _ = engine.start()
        #expect(engine.handle(.blockCommitted(synced)).isEmpty)
        #expect(engine.decision == synced)
        let proposer = engine.proposer(round: 0)
        #expect(engine.handle(Self.proposal(SHA256().hash(utf8: "x"), by: proposer)).isEmpty)
        #expect(engine.handle(.timeout(ConsensusTimeout(height: 5, round: 0, step: .propose))).isEmpty)
        #expect(engine.handle(.blockCommitted(SHA256().hash(utf8: "other"))).isEmpty)
        #expect(engine.decision == synced, "the first commit stands")
    }
}
