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
        #expect(set.add(Self.vote(0, nil)) == .equivocation(first: Self.vote(0, a), second: Self.vote(0, nil)))
        #expect(set.power(for: a) == 1 && set.power(for: b) == 0 && set.totalVotedPower == 1)
        if case .rejected = set.add(Self.vote(7, a)) {} else { Issue.record("index 7 accepted") }
        if case .rejected = set.add(Self.vote(1, a, round: 1)) {} else { Issue.record("other round accepted") }
        if case .rejected = set.add(Self.vote(1, a, type: .precommit)) {} else { Issue.record("other type accepted") }
    }

    @Test func signedBytesSeparateTypesChainsAndValues() throws {
        let chain = ChainID("civic-test")!
        let prevote = Vote(type: .prevote, height: 1, round: 0, blockHash: nil, validatorIndex: 0)
        let precommit = Vote(type: .precommit, height: 1, round: 0, blockHash: nil, validatorIndex: 0)
        #expect(prevote.signedBytes(chainID: chain) != precommit.signedBytes(chainID: chain))
        #expect(prevote.signedBytes(chainID: chain) != prevote.signedBytes(chainID: ChainID("civic-other")!))
        let forBlock = Vote(type: .prevote, height: 1, round: 0, blockHash: .zero, validatorIndex: 0)
        #expect(prevote.signedBytes(chainID: chain) != forBlock.signedBytes(chainID: chain))
        let signed = Self.vote(3, .zero, round: 9, type: .precommit)
        #expect(try SignedVote(canonicalBytes: signed.canonicalBytes) == signed)
    }
}

/// Weighted round robin: proportional, deterministic, and no long runs.
struct ProposerSelectionTests {
    @Test func everyWindowOfTotalPowerSelectsEachInProportion() {
        let powers: [UInt64] = [1, 2, 3, 4]
        var selection = ProposerSelection(validators: VoteSetTests.validators(powers))
        for _ in 0..<50 {
            var counts = [Int](repeating: 0, count: powers.count)
            for _ in 0..<10 { counts[selection.next()] += 1 }
            #expect(counts == powers.map(Int.init))
        }
    }

    @Test func equalPowersRotateAndRoundsAdvanceTheRotation() {
        let selection = ProposerSelection(validators: VoteSetTests.validators([5, 5, 5, 5]))
        #expect((0..<8).map { selection.proposer(round: UInt32($0)) } == [0, 1, 2, 3, 0, 1, 2, 3])
        var advanced = selection
        _ = advanced.next()
        #expect(advanced.proposer(round: 0) == 1)
    }

    @Test func priorityStaysBoundedUnderExtremePowers() {
        var selection = ProposerSelection(validators: VoteSetTests.validators([1, 1_000_000]))
        var smallTurns = 0
        for _ in 0..<2_000_002 where selection.next() == 0 { smallTurns += 1 }
        #expect(smallTurns == 2)
        let total = Int64(1_000_001)
        #expect(selection.priorities.allSatisfy { abs($0) <= 2 * total })
    }
}
