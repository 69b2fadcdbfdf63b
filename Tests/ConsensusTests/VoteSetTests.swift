import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// Vote sets count power exactly (3·x > 2·P) and keep equivocations apart.
struct VoteSetTests {
    static func validators(_ powers: [UInt64]) -> ValidatorSet {
        ValidatorSet(
            validators: powers.enumerated().map { index, power in
                ValidatorSet.Validator(
                    id: OrgID("V\(index)")!,
                    power: power,
                    consensusKey: [UInt8](repeating: UInt8(index), count: 33)
                )
            }
        )
    }

    static func vote(_ index: UInt16, _ hash: Digest?, round: UInt32 = 0, type: VoteType = .prevote) -> SignedVote {
        SignedVote(
            vote: Vote(type: type, height: 5, round: round, blockHash: hash, validatorIndex: index),
            signature: try! Signature(bytes: [UInt8](repeating: UInt8(index), count: 64))
        )
    }

    @Test func quorumNeedsMoreThanTwoThirdsOfPowerExactly() {
        let block = SHA256().hash(utf8: "block")
        var set = VoteSet(type: .prevote, height: 5, round: 0, validators: Self.validators([1, 1, 1, 1]))
        #expect(set.add(Self.vote(0, block)) == .added)
        #expect(set.add(Self.vote(1, block)) == .added)
        #expect(set.quorumValue == nil && !set.hasQuorumOfAnyValues)
        #expect(set.exceedsOneThird)
        #expect(set.add(Self.vote(2, block)) == .added)
        #expect(set.quorumValue == .some(block))
        #expect(set.votes(for: block).map(\.vote.validatorIndex) == [0, 1, 2])
    }

    @Test func unequalPowersAndNilVotes() {
        let block = SHA256().hash(utf8: "block")
        // Total 10: 7 is a quorum (21 > 20), 6 and 2/3 exactly is not.
        var set = VoteSet(type: .precommit, height: 5, round: 3, validators: Self.validators([6, 1, 3]))
        #expect(set.add(Self.vote(0, nil, round: 3, type: .precommit)) == .added)
        #expect(set.quorumValue == nil)
        #expect(set.add(Self.vote(2, block, round: 3, type: .precommit)) == .added)
        #expect(set.quorumValue == nil && set.hasQuorumOfAnyValues)
        #expect(set.add(Self.vote(1, nil, round: 3, type: .precommit)) == .added)
        #expect(set.quorumValue == .some(nil))
        #expect(set.power(for: nil) == 7 && set.power(for: block) == 3)
    }

    @Test func duplicatesEquivocationsAndStrangersAreNotCounted() {
        let a = SHA256().hash(utf8: "a")
        let b = SHA256().hash(utf8: "b")
        var set = VoteSet(type: .prevote, height: 5, round: 0, validators: Self.validators([1, 1, 1]))
        #expect(set.add(Self.vote(0, a)) == .added)
        #expect(set.add(Self.vote(0, a)) == .duplicate)
        #expect(set.add(Self.vote(0, b)) == .equivocation(first: Self.vote(0, a), second: Self.vote(0, b)))
        // Evidence is reported once per validator and set; the pair is already known.
        #expect(set.add(Self.vote(0, nil)) == .duplicate)
        #expect(set.power(for: a) == 1 && set.power(for: b) == 0 && set.totalVotedPower == 1)
        if case .rejected = set.add(Self.vote(7, a)) {} else { Issue.record("index 7 accepted") }
        if case .rejected = set.add(Self.vote(1, a, round: 1)) {} else { Issue.record("other round accepted") }
        if case .rejected = set.add(Self.vote(1, a, type: .precommit)) {} else { Issue.record("other type accepted") }
    }

    /// SPEC §1: the algorithm counts, for each value, the validators that sent a vote for it. An equivocator's
    /// second vote counts for its value once another validator backs that value, so that every honest node can
    /// see the quorum an honest peer saw (otherwise a lock taken on it can never be released by L28).
    @Test func aConflictingVoteCountsForAValueOthersBack() {
        let a = SHA256().hash(utf8: "a")
        let b = SHA256().hash(utf8: "b")
        var set = VoteSet(type: .prevote, height: 5, round: 0, validators: Self.validators([1, 1, 1, 1]))
        #expect(set.add(Self.vote(3, a)) == .added)
        // Nobody else backs b yet: evidence, but not counted.
        #expect(set.add(Self.vote(3, b)) == .equivocation(first: Self.vote(3, a), second: Self.vote(3, b)))
        #expect(set.power(for: b) == 0)
        #expect(set.add(Self.vote(0, b)) == .added)
        #expect(set.add(Self.vote(1, b)) == .added)
        #expect(set.quorumValue == nil)
        // The same conflicting vote, relayed again by gossip, now counts: 0, 1 and 3 back b.
        #expect(set.add(Self.vote(3, b)) == .added)
        #expect(set.quorumValue == .some(b))
        #expect(set.votes(for: b).map(\.vote.validatorIndex) == [0, 1, 3])
        // Each validator's power is counted once towards "any values" (L34, L47) and once per value.
        #expect(set.totalVotedPower == 3 && set.power(for: a) == 1 && set.power(for: b) == 3)
        #expect(set.add(Self.vote(3, b)) == .duplicate)
    }

    /// Values are only ever those of some validator's first vote, so a set holds at most n values and n²
    /// votes however the equivocators collude.
    @Test func equivocatorsCannotMakeASetGrowWithoutBound() {
        var set = VoteSet(type: .precommit, height: 5, round: 0, validators: Self.validators([1, 1, 1, 1]))
        for value in 0..<100 {
            let junk = SHA256().hash(utf8: "junk \(value)")
            for _ in 0..<2 {
                _ = set.add(Self.vote(2, junk, type: .precommit))
                _ = set.add(Self.vote(3, junk, type: .precommit))
            }
        }
        #expect(set.valuesVoted.count == 1, "only the first votes' value, junk 0, ever counts")
        #expect(set.totalVotedPower == 2)
    }

    /// Issue 16, point 6: two networks that share a chain id (two local networks both `civic-test`) but not a
    /// genesis sign different bytes, so a vote replayed from one is not a vote on the other.
    @Test func signedBytesSeparateTypesNetworksAndValues() throws {
        let chain = NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero)
        let prevote = Vote(type: .prevote, height: 1, round: 0, blockHash: nil, validatorIndex: 0)
        let precommit = Vote(type: .precommit, height: 1, round: 0, blockHash: nil, validatorIndex: 0)
        #expect(prevote.signedBytes(network: chain) != precommit.signedBytes(network: chain))
        let otherChain = NetworkID(chainID: ChainID("civic-other")!, genesisHash: .zero)
        #expect(prevote.signedBytes(network: chain) != prevote.signedBytes(network: otherChain))
        let otherGenesis = NetworkID(chainID: chain.chainID, genesisHash: SHA256().hash(utf8: "another genesis"))
        #expect(prevote.signedBytes(network: chain) != prevote.signedBytes(network: otherGenesis))
        let forBlock = Vote(type: .prevote, height: 1, round: 0, blockHash: .zero, validatorIndex: 0)
        #expect(prevote.signedBytes(network: chain) != forBlock.signedBytes(network: chain))
        let signed = Self.vote(3, .zero, round: 9, type: .precommit)
        #expect(try SignedVote(canonicalBytes: signed.canonicalBytes) == signed)
    }
}
