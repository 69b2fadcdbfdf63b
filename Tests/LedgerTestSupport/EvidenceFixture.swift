import LedgerCore
import LedgerCrypto

/// Signed votes and proposals by the fixture's validators, for equivocation evidence tests.
public enum EvidenceFixture {
    /// Never mutated; shared by tests that only read it.
    nonisolated(unsafe) public static let fixture = LedgerFixture()
    public static let validators = try! ValidatorSet.load(from: fixture.state, keys: fixture.stateKeys)
    public static let chain = fixture.genesis.network

    /// Guangdong's index in the set, and its consensus key.
    public static var guangdong: (index: UInt16, key: PrivateKey) {
        let index = validators.validators.firstIndex { $0.id == LedgerFixture.guangdong }!
        return (UInt16(index), LedgerFixture.key("consensus " + LedgerFixture.guangdong.value, suite: fixture.suite))
    }

    public static func vote(
        _ block: Digest?,
        type: VoteType = .prevote,
        height: UInt64 = 2,
        round: UInt32 = 0,
        index: UInt16 = guangdong.index,
        key: PrivateKey = guangdong.key
    ) -> SignedVote {
        let vote = Vote(type: type, height: height, round: round, blockHash: block, validatorIndex: index)
        return SignedVote(vote: vote, signature: try! fixture.suite.sign(vote.signedBytes(network: chain), with: key))
    }

    public static func proposal(_ block: Digest, round: UInt32 = 1) -> SignedProposal {
        let proposal = Proposal(height: 2, round: round, blockHash: block, polRound: -1, proposerIndex: guangdong.index)
        return SignedProposal(
            proposal: proposal,
            signature: try! fixture.suite.sign(proposal.signedBytes(network: chain), with: guangdong.key)
        )
    }
}
