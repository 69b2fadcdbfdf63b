import Consensus
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// SPEC §9: positions only move forward; the same position signs only the same hash, with the same signature.
struct SigningGuardRuleTests {
    static let chain = NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero)
    static let a = SHA256().hash(utf8: "a")
    static let b = SHA256().hash(utf8: "b")

    static func vote(_ type: VoteType, _ height: UInt64, _ round: UInt32, _ hash: Digest?) -> SigningRequest {
        SigningRequest(
            Vote(type: type, height: height, round: round, blockHash: hash, validatorIndex: 0),
            network: chain
        )
    }

    static func proposal(_ height: UInt64, _ round: UInt32, _ hash: Digest) -> SigningRequest {
        SigningRequest(
            Proposal(height: height, round: round, blockHash: hash, polRound: -1, proposerIndex: 0),
            network: chain
        )
    }

    @Test func verdicts() throws {
        let signature = try Signature(bytes: [UInt8](repeating: 7, count: 64))
        let last = SigningRecord(Self.vote(.prevote, 5, 2, Self.a), signature: signature)
        func verdict(_ request: SigningRequest) -> SigningGuardRule.Verdict {
            SigningGuardRule.verdict(for: request, after: last)
        }
        #expect(SigningGuardRule.verdict(for: Self.vote(.prevote, 1, 0, nil), after: nil) == .sign)
        #expect(verdict(Self.vote(.prevote, 5, 2, Self.a)) == .reuse(signature))
        // Later positions: the precommit of the round, a later round's proposal, the next height.
        #expect(verdict(Self.vote(.precommit, 5, 2, nil)) == .sign)
        #expect(verdict(Self.proposal(5, 3, Self.b)) == .sign)
        #expect(verdict(Self.vote(.prevote, 6, 0, Self.b)) == .sign)
        // Conflicts: another value at the same position, or any earlier position.
        for conflicting in [
            Self.vote(.prevote, 5, 2, Self.b), Self.vote(.prevote, 5, 2, nil), Self.proposal(5, 2, Self.a),
            Self.vote(.precommit, 5, 1, Self.a), Self.vote(.precommit, 4, 9, Self.a),
        ] {
            guard case .refuse(let refusal) = verdict(conflicting) else {
                Issue.record("signed \(conflicting)")
                continue
            }
            #expect(refusal.last == last)
            #expect(refusal.description.contains("refused to sign"))
        }
    }

    /// A signature by the key that the guard has no record of is adopted only beyond the guard's position:
    /// it was made elsewhere (an older copy of the validator, or another process with its key).
    @Test func signaturesMadeElsewhereAreAdoptedOnlyBeyondTheLastPosition() throws {
        let signature = try Signature(bytes: [UInt8](repeating: 7, count: 64))
        let last = SigningRecord(Self.vote(.prevote, 5, 2, Self.a), signature: signature)
        func seen(_ request: SigningRequest) -> SigningRecord { SigningRecord(request, signature: signature) }
        #expect(SigningGuardRule.adopts(seen(Self.vote(.prevote, 1, 0, nil)), after: nil))
        for later in [Self.vote(.precommit, 5, 2, Self.b), Self.proposal(5, 3, Self.b), Self.vote(.prevote, 6, 0, nil)]
        {
            #expect(SigningGuardRule.adopts(seen(later), after: last), "\(later)")
        }
        // This guard's own position, or earlier ones: nothing to learn (a conflict there is evidence).
        for earlier in [
            Self.vote(.prevote, 5, 2, Self.a), Self.vote(.prevote, 5, 2, Self.b), Self.proposal(5, 2, Self.a),
        ] {
            #expect(!SigningGuardRule.adopts(seen(earlier), after: last), "\(earlier)")
        }
        // Once adopted, the guard refuses what conflicts with the adopted signature and reuses it.
        let adopted = seen(Self.vote(.precommit, 5, 3, Self.b))
        #expect(SigningGuardRule.verdict(for: Self.vote(.precommit, 5, 3, Self.b), after: adopted) == .reuse(signature))
        guard case .refuse = SigningGuardRule.verdict(for: Self.vote(.precommit, 5, 3, nil), after: adopted) else {
            Issue.record("signed against an adopted signature")
            return
        }
    }

    @Test func recordAndEventsRoundTrip() throws {
        let signature = try Signature(bytes: [UInt8](repeating: 3, count: 64))
        let record = SigningRecord(Self.vote(.precommit, 9, 1, nil), signature: signature)
        #expect(try SigningRecord(canonicalBytes: record.canonicalBytes) == record)
        let events: [ConsensusEvent] = [
            .proposal(
                SignedProposal(
                    proposal: Proposal(height: 3, round: 2, blockHash: Self.a, polRound: 1, proposerIndex: 2),
                    signature: signature
                )
            ),
            .vote(
                SignedVote(
                    vote: Vote(type: .prevote, height: 3, round: 2, blockHash: nil, validatorIndex: 1),
                    signature: signature
                )
            ),
            .timeout(ConsensusTimeout(height: 3, round: 7, step: .precommit)),
            .blockValidated(Self.b, valid: false),
            .blockBuilt(Self.a),
            .blockCommitted(Self.b),
        ]
        for event in events { #expect(try ConsensusEvent(canonicalBytes: event.canonicalBytes) == event) }
        #expect(throws: CanonicalDecodingError.self) { try ConsensusEvent(canonicalBytes: [9]) }
        #expect(throws: CanonicalDecodingError.self) {
            try ConsensusEvent(canonicalBytes: [3] + [UInt8](repeating: 0, count: 12) + [4])
        }
    }

    /// What the WAL reads back is decoded totally: random bytes give a value or an error, never a crash.
    @Test func decodingGarbageNeverTraps() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            _ = try? ConsensusEvent(canonicalBytes: [UInt8.random(in: 1...6, using: &random)] + bytes)
            _ = try? SigningRecord(canonicalBytes: bytes)
        }
    }
}
