import Consensus
import LedgerCore
import LedgerCrypto
import Testing

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

    /// Issue 16, finding 9: a block names the validator proposer(h, r) of some round r up to the latest round
    /// a proposal of it was seen in — never a later round's proposer, nor anyone outside the schedule.
    @Test func aBlockMayNameOnlyTheProposersOfRoundsUpToItsProposal() {
        let selection = ProposerSelection(validators: VoteSetTests.validators([5, 5, 5, 5]))
        #expect(selection.isProposer(0, inRoundsThrough: 0))
        #expect(!selection.isProposer(1, inRoundsThrough: 0))
        #expect((0..<4).map { selection.isProposer($0, inRoundsThrough: 2) } == [true, true, true, false])
        #expect(!selection.isProposer(7, inRoundsThrough: 100))
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

/// Proposer priorities across a validator-set change (SPEC §6).
struct ProposerSelectionTransitionTests {
    @Test func stayersKeepPriorityAndNewcomersStartBehind() {
        let old = VoteSetTests.validators([10, 10, 10])
        var selection = ProposerSelection(validators: old)
        _ = selection.next()
        _ = selection.next()
        // V2 leaves, V3 joins with the same power.
        let new = ValidatorSet(
            validators: [
                old.validators[0], old.validators[1], VoteSetTests.validators([10, 10, 10, 10]).validators[3],
            ]
        )
        let next = selection.transitioned(from: old, to: new)
        #expect(next.powers == [10, 10, 10])
        #expect(next.priorities[2] == next.priorities.min(), "the newcomer is behind everyone")
        #expect(next.priorities[0] - next.priorities[1] == selection.priorities[0] - selection.priorities[1])
        // Proportional again within one window of the new total.
        var counts = [0, 0, 0]
        var rotating = next
        for _ in 0..<6 { counts[rotating.next()] += 1 }
        #expect(counts == [2, 2, 2])
    }
}
