import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Node
import P2P

/// The generated part of the seed corpus (`Tests/Fuzz/Corpus/`): valid inputs of every kind, so the fuzzer
/// starts deep inside each decoder. Genesis JSON and receipts from a real node sit beside them by hand.
enum Seeds {
    static func write(to directory: String) throws -> Int {
        var random = SeededGenerator(seed: 8)
        var written = 0
        func save(_ target: FuzzTarget, _ name: String, _ bytes: [UInt8]) throws {
            let folder = "\(directory)/\(target.rawValue)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
            written += 1
        }
        let messages = messages(&random)
        for (index, message) in messages.enumerated() {
            try save(.message, "message-\(index)", message.canonicalBytes)
        }
        try save(.frame, "frames-all", messages.flatMap(\.frame))
        try save(.frame, "frames-two", messages.prefix(2).flatMap(\.frame))
        for index in 0..<8 { try save(.transaction, "transaction-\(index)", random.signedTransaction().canonicalBytes) }
        let genesis = Genesis(
            chainID: random.chainID(),
            suite: .secp256k1SHA256,
            genesisTime: 1_795_000_000,
            members: [random.member(), random.member()]
        )
        try save(.genesis, "genesis-binary", genesis.canonicalBytes)
        var configuration = NodeConfiguration(
            nodeID: OrgID("440000")!,
            genesis: "../genesis.json",
            p2pListen: "127.0.0.1:26656",
            apiListen: "127.0.0.1:8080"
        )
        configuration.peers = [OrgID("110000")!: "10.0.0.2:26656"]
        configuration.signingJournal = true
        try save(.config, "config.toml", Array(configuration.toml.utf8))
        return written
    }

    /// One of every peer message.
    static func messages(_ random: inout SeededGenerator) -> [WireMessage] {
        let signature = try! Signature(bytes: random.bytes(64))
        let vote = SignedVote(
            vote: Vote(type: .precommit, height: 9, round: 2, blockHash: random.digest(), validatorIndex: 1),
            signature: signature
        )
        let nilVote = SignedVote(
            vote: Vote(type: .precommit, height: 9, round: 2, blockHash: nil, validatorIndex: 1),
            signature: signature
        )
        let part = BlockPart(
            height: 9,
            round: 2,
            blockHash: random.digest(),
            index: 1,
            count: 3,
            bytes: random.bytes(90)
        )
        return [
            .hello(
                PeerHello(chainID: random.chainID(), genesisHash: random.digest(), nodeID: OrgID("330000")!, height: 40)
            ),
            .status(PeerStatus(height: 9, round: 4)),
            .transactions([random.signedTransaction(), random.signedTransaction()]),
            .proposal(
                SignedProposal(
                    proposal: Proposal(height: 9, round: 2, blockHash: random.digest(), polRound: 1, proposerIndex: 3),
                    signature: signature
                )
            ),
            .blockPart(part),
            .vote(vote),
            .evidence(.votes(vote, nilVote)),
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
            .syncPart(part),
        ]
    }
}
