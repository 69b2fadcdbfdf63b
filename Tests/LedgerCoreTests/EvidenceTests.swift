import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Equivocation evidence (`Consensus/SPEC.md` §8): what counts as evidence, and what is refused.
struct EvidenceTests {
    static var fixture: LedgerFixture { EvidenceFixture.fixture }
    static let validators = EvidenceFixture.validators
    static let chain = fixture.genesis.network
    static var guangdong: (index: UInt16, key: PrivateKey) { EvidenceFixture.guangdong }

    func verify(_ evidence: Equivocation) throws(EvidenceError) {
        try evidence.verify(network: Self.chain, validators: Self.validators, suite: Self.fixture.suite)
    }

    @Test func conflictingVotesAndProposalsAreEvidence() throws {
        try verify(.votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("b"))))
        try verify(
            .votes(EvidenceFixture.vote(.of("a"), type: .precommit), EvidenceFixture.vote(nil, type: .precommit))
        )
        try verify(.proposals(EvidenceFixture.proposal(.of("a")), EvidenceFixture.proposal(.of("b"))))
        let evidence = Equivocation.votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("b")))
        #expect(evidence.kind == "prevote" && evidence.height == 2 && evidence.validatorIndex == Self.guangdong.index)
        #expect(try Equivocation(canonicalBytes: evidence.canonicalBytes) == evidence)
        #expect(
            Equivocation.votes(EvidenceFixture.vote(.of("b")), EvidenceFixture.vote(.of("a"))).normalised
                == evidence.normalised
        )
    }

    @Test func whatIsNotEvidenceIsRefused() {
        let other = Self.validators.validators.firstIndex { $0.id == LedgerFixture.zhejiang }!
        let otherKey = LedgerFixture.key("consensus " + LedgerFixture.zhejiang.value, suite: Self.fixture.suite)
        let refused: [(Equivocation, String)] = [
            (.votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("a"))), "same value"),
            (.votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("b"), round: 1)), "different rounds"),
            (
                .votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("b"), type: .precommit)),
                "different types"
            ),
            (.votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("b"), height: 3)), "different heights"),
            (
                .votes(
                    EvidenceFixture.vote(.of("a")),
                    EvidenceFixture.vote(.of("b"), index: UInt16(other), key: otherKey)
                ),
                "two validators"
            ),
            (
                .votes(EvidenceFixture.vote(.of("a")), EvidenceFixture.vote(.of("b"), key: otherKey)),
                "signed by someone else"
            ),
            (
                .votes(EvidenceFixture.vote(.of("a"), index: 40), EvidenceFixture.vote(.of("b"), index: 40)),
                "no such validator"
            ),
            (.proposals(EvidenceFixture.proposal(.of("a")), EvidenceFixture.proposal(.of("a"))), "same block"),
            (
                .proposals(EvidenceFixture.proposal(.of("a")), EvidenceFixture.proposal(.of("b"), round: 2)),
                "different rounds"
            ),
        ]
        for (evidence, why) in refused {
            #expect(throws: EvidenceError.self, "\(why)") { try verify(evidence) }
        }
        // Signed for another network — another chain id, or this chain id under another genesis (issue 16,
        // point 6: a validator running one key on two networks cannot be framed with its votes on the other).
        let vote = Vote(type: .prevote, height: 2, round: 0, blockHash: .of("c"), validatorIndex: Self.guangdong.index)
        for network in [
            NetworkID(chainID: ChainID("other")!, genesisHash: Self.chain.genesisHash),
            NetworkID(chainID: Self.chain.chainID, genesisHash: .of("another genesis")),
        ] {
            let elsewhere = SignedVote(
                vote: vote,
                signature: try! Self.fixture.suite.sign(vote.signedBytes(network: network), with: Self.guangdong.key)
            )
            #expect(throws: EvidenceError.self) { try verify(.votes(EvidenceFixture.vote(.of("a")), elsewhere)) }
        }
    }
}
