import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import P2P
import Testing

/// Every message survives encoding and framing; garbage gives a typed error, never a trap (`docs/network.md`).
struct WireMessageTests {
    static func messages(_ random: inout SeededGenerator) -> [WireMessage] {
        let signature = try! Signature(bytes: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) })
        let vote = SignedVote(
            vote: Vote(type: .precommit, height: 9, round: 2, blockHash: random.digest(), validatorIndex: 1),
            signature: signature
        )
        let other = SignedVote(
            vote: Vote(type: .precommit, height: 9, round: 2, blockHash: nil, validatorIndex: 1),
            signature: signature
        )
        let proposal = SignedProposal(
            proposal: Proposal(height: 9, round: 2, blockHash: random.digest(), polRound: 1, proposerIndex: 3),
            signature: signature
        )
        return [
            .hello(PeerHelloTests.peer()),
            .status(PeerStatus(height: 9, round: 4)),
            .transactions([random.signedTransaction()]),
            .proposal(proposal),
            .blockPart(
                BlockPart(height: 9, round: 2, blockHash: random.digest(), index: 1, count: 3, bytes: random.bytes(100))
            ),
            .vote(vote),
            .evidence(.votes(vote, other)),
            .blockRequest(height: 77),
            .commit(
                CommitCertificate(
                    height: 9,
                    round: 2,
                    blockHash: random.digest(),
                    signatures: [CommitCertificate.Signature(validatorIndex: 0, signature: signature)]
                )
            ),
            .ping(nonce: 7),
            .pong(nonce: UInt64.max),
            .syncPart(BlockPart(height: 3, round: 0, blockHash: random.digest(), index: 0, count: 1, bytes: [1])),
        ]
    }

    @Test func everyMessageRoundTripsThroughAFrame() throws {
        var random = SeededGenerator(seed: 3)
        let messages = Self.messages(&random)
        var decoder = FrameDecoder(maximumFrameSize: WireMessage.maximumFrameSize)
        let stream = messages.flatMap { FrameDecoder.frame($0.canonicalBytes) }
        let frames = try decoder.receive(stream)
        #expect(try frames.map { try WireMessage(frame: $0) } == messages)
    }

    @Test func garbageAndMutatedMessagesNeverTrap() {
        var random = SeededGenerator(seed: 4)
        let seeds = Self.messages(&random).map(\.canonicalBytes)
        var decoded = 0
        for round in 0..<100_000 {
            var bytes = seeds[round % seeds.count]
            switch round % 3 {
            case 0: bytes = random.bytes(Int.random(in: 0...200, using: &random))
            case 1 where !bytes.isEmpty: bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 0x5A
            default: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            }
            if let message = try? WireMessage(frame: bytes) {
                decoded += 1
                #expect(message.canonicalBytes == bytes, "one value, one encoding")
            }
        }
        #expect(decoded > 0)
    }

    @Test func unknownTagsAndBadPartsAreRefused() {
        #expect(throws: CanonicalDecodingError.self) { try WireMessage(frame: [0]) }
        #expect(throws: CanonicalDecodingError.self) { try WireMessage(frame: [99, 1, 2]) }
        // A part numbered beyond its count.
        var writer = CanonicalWriter()
        writer.write(UInt8(5))
        writer.write(UInt64(1))
        writer.write(UInt32(0))
        writer.write(Digest.zero)
        writer.write(UInt32(3))
        writer.write(UInt32(3))
        writer.write(bytes: [UInt8](repeating: 1, count: 4))
        #expect(throws: CanonicalDecodingError.self) { try WireMessage(frame: writer.bytes) }
    }
}
