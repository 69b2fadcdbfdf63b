import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// SPEC §8: one offence is pending once, whatever pair shows it; committed offences never come back; only
/// evidence young enough and older than the block is proposed.
struct EvidencePoolTests {
    static let signature = try! Signature(bytes: [UInt8](repeating: 1, count: 64))

    static func vote(_ block: Digest?, height: UInt64 = 5, round: UInt32 = 0, by index: UInt16 = 3) -> SignedVote {
        SignedVote(
            vote: Vote(type: .prevote, height: height, round: round, blockHash: block, validatorIndex: index),
            signature: signature
        )
    }

    @Test func oneOffenceIsHeldOnceAndNeverAfterCommit() {
        var pool = EvidencePool()
        let a = SHA256().hash(utf8: "a")
        let b = SHA256().hash(utf8: "b")
        let evidence = Equivocation.votes(Self.vote(a), Self.vote(b))
        let added = [
            pool.add(evidence),
            pool.add(.votes(Self.vote(b), Self.vote(a))),  // the same pair reversed
            pool.add(.votes(Self.vote(a), Self.vote(nil))),  // another pair, same offence
            pool.add(.votes(Self.vote(a, round: 1), Self.vote(b, round: 1))),  // another round: another offence
            pool.add(.votes(Self.vote(a, by: 2), Self.vote(b, by: 2))),  // another validator
        ]
        #expect(added == [true, false, false, true, true])
        #expect(pool.holds(.votes(Self.vote(a), Self.vote(nil))), "gossip need not offer this offence again")
        #expect(pool.pending.count == 3)

        pool.committed([evidence])
        #expect(pool.pending.count == 2)
        let again = pool.add(evidence)
        #expect(!again, "committed offences are never taken again")
    }

    @Test func proposersTakeOnlyCommittableEvidence() {
        var pool = EvidencePool()
        let a = SHA256().hash(utf8: "a")
        pool.add(.votes(Self.vote(a, height: 5), Self.vote(nil, height: 5)))
        pool.add(.votes(Self.vote(a, height: 9), Self.vote(nil, height: 9)))
        #expect(pool.proposal(forHeight: 5).isEmpty, "not older than the block")
        #expect(pool.proposal(forHeight: 6).map(\.height) == [5])
        #expect(pool.proposal(forHeight: 10).map(\.height) == [5, 9])
        #expect(pool.proposal(forHeight: 106).map(\.height) == [9], "height 5 is too old for block 106")
        pool.expire(beforeHeight: 106)
        #expect(pool.pending.map(\.height) == [9])
    }
}
