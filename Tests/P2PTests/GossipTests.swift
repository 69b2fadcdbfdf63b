import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import P2P

/// Records what gossip hands the node; rejects transactions from one "bad" sender key.
final class GossipRecorder: GossipHandler {
    let delivered = NIOLockedValueBox<[WireMessage]>([])
    let rejectedSender: [UInt8]?

    init(rejecting sender: [UInt8]? = nil) { rejectedSender = sender }

    /// Records each transaction as a batch of one.
    func transactions(_ transactions: [SignedTransaction], from peer: PeerConnection) -> [GossipVerdict] {
        delivered.withLockedValue { $0.append(contentsOf: transactions.map { .transactions([$0]) }) }
        return transactions.map { $0.transaction.sender == rejectedSender ? .reject("bad signature") : .relay }
    }

    func gossip(_ message: WireMessage, from peer: PeerConnection) -> GossipVerdict {
        delivered.withLockedValue { $0.append(message) }
        return .relay
    }
    func direct(_ message: WireMessage, from peer: PeerConnection) {}
    func peerConnected(_ peer: PeerConnection) {}
    func peerDisconnected(_ node: OrgID, reason: String) {}

    func count(_ message: WireMessage) -> Int { delivered.withLockedValue { $0.count { $0 == message } } }
}

/// Gossip over a line of nodes A – B – C – O (O an observer that only dials out): every message reaches
/// every node exactly once, a repeated transaction is dropped as a duplicate while a repeated vote is handed
/// over again (consensus re-offers on purpose), what a node rejects goes no further, and transactions travel
/// in batches.
@Suite(.serialized) struct GossipTests {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// Nodes gossiping over a line: each dials the next (`dials`: index → index); all are members.
    func line(
        _ names: [String],
        dials: [Int: Int],
        rejecting bad: [UInt8]
    ) async throws -> (
        networks: [PeerNetwork], gossips: [Gossip], recorders: [GossipRecorder]
    ) {
        let identities = try names.map { try TLSIdentity.generate(commonName: $0) }
        let recorders = names.map { _ in GossipRecorder(rejecting: bad) }
        let gossips = recorders.map { Gossip(handler: $0) }
        var ports: [Int] = []
        var networks: [PeerNetwork] = []
        for (index, name) in names.enumerated() {
            let id = OrgID(name)!
            let network = try PeerNetwork(
                configuration: PeerNetworkConfiguration(identity: identities[index]),
                registry: PeerRegistry(),
                group: group,
                logger: .init(label: "test", factory: { _ in CapturingLogHandler() })
            ) { PeerHello(chainID: TestPeer.chain, genesisHash: TestPeer.genesisHash, nodeID: id, height: 0) }
            networks.append(network)
            ports.append(try await gossips[index].start(on: network))
        }
        for index in names.indices {
            networks[index].registryChanged(
                names.indices.map { other in
                    PeerIdentity(
                        node: OrgID(names[other])!,
                        keyPin: identities[other].keyPin,
                        address: dials[index] == other ? "127.0.0.1:\(ports[other])" : nil
                    )
                }
            )
        }
        let expected = names.indices.map { index in dials.count { $0.key == index || $0.value == index } }
        #expect(await eventually { networks.indices.allSatisfy { networks[$0].peers.count == expected[$0] } })
        return (networks, gossips, recorders)
    }

    @Test func messagesFloodALineOnceAndRejectedOnesStop() async throws {
        var random = SeededGenerator(seed: 11)
        let bad = random.signedTransaction()
        // Who dials whom: A → B, B → C, O → C (O an observer that only dials out).
        let (networks, gossips, recorders) = try await line(
            ["A", "B", "C", "O"],
            dials: [0: 1, 1: 2, 3: 2],
            rejecting: bad.transaction.sender
        )

        let messages = WireMessageTests.messages(&random).filter(Gossip.isGossip)
        #expect(messages.count == 5)
        for message in messages { gossips[0].publish(message) }
        gossips[0].publish(.transactions([bad]))
        #expect(await eventually { messages.allSatisfy { recorders[3].count($0) == 1 } })
        try await Task.sleep(nanoseconds: 300_000_000)
        // C publishes A's transaction and vote again: the transaction is a duplicate everywhere; the vote is
        // handed to B and O a second time.
        guard case .transactions = messages[0], case .vote = messages[3] else {
            Issue.record("unexpected message order")
            return
        }
        gossips[2].publish(messages[0])
        gossips[2].publish(messages[3])
        // The vote travels at once; the transaction waits its moment in C's outbox before B drops it.
        #expect(
            await eventually {
                recorders[1].count(messages[3]) == 2 && recorders[3].count(messages[3]) == 2
                    && gossips[1].counts.duplicates >= 1
            }
        )
        for message in messages {
            // A's own messages are not handed back to it — except the vote C sent round again.
            #expect(recorders[0].count(message) == (message == messages[3] ? 1 : 0))
            #expect(recorders[1].count(message) == (message == messages[3] ? 2 : 1))
            #expect(recorders[3].count(message) == (message == messages[3] ? 2 : 1))
        }
        #expect(recorders[1].count(.transactions([bad])) == 1)
        #expect(recorders[2].count(.transactions([bad])) == 0, "a rejected message is not relayed")
        #expect(recorders[3].count(.transactions([bad])) == 0)
        #expect(gossips[1].counts.duplicates >= 1)
        #expect(gossips[1].counts.rejected == 1)
        for network in networks { await network.shutdown() }
    }

    /// A batch's fresh transactions are handed over together, once; only the valid ones go on, still
    /// together; a batch repeating seen transactions hands over only the new one.
    @Test func aBatchIsHandedOverOnceAndOnlyItsValidTransactionsGoOn() async throws {
        var random = SeededGenerator(seed: 12)
        let bad = random.signedTransaction()
        let good = (0..<3).map { _ in random.signedTransaction() }
        let (networks, gossips, recorders) = try await line(
            ["A", "B", "C"],
            dials: [0: 1, 1: 2],
            rejecting: bad.transaction.sender
        )
        gossips[0].publish(.transactions([good[0], bad, good[1], good[0]]))
        #expect(await eventually { recorders[2].delivered.withLockedValue { $0.count } == 2 })
        gossips[0].publish(.transactions([good[1], good[2]]))
        #expect(await eventually { recorders[2].delivered.withLockedValue { $0.count } == 3 })
        #expect(
            recorders[1].delivered.withLockedValue { $0 }
                == [good[0], bad, good[1], good[2]].map { .transactions([$0]) }
        )
        #expect(
            recorders[2].delivered.withLockedValue { $0 } == [good[0], good[1], good[2]].map { .transactions([$0]) }
        )
        #expect(gossips[1].counts.rejected == 1)
        #expect(gossips[1].counts.duplicates == 2, "the repeat inside the first batch and good[1] in the second")
        for network in networks { await network.shutdown() }
    }

    /// Splitting into messages keeps the order and both limits: at most `maximumGossipBatch` transactions and
    /// one frame's bytes each.
    @Test func batchesKeepOrderAndLimits() throws {
        var random = SeededGenerator(seed: 13)
        let small = (0..<600).map { _ in random.signedTransaction() }
        #expect(Gossip.batches(small).map(\.count) == [256, 256, 88])
        #expect(Array(Gossip.batches(small).joined()) == small)
        // Subsidy batches of 10,000 tags are about 320 KB each: three fill a frame.
        let large = try (0..<5).map { index in
            SignedTransaction(
                transaction: Transaction(
                    chainID: ChainID("civic-test")!,
                    sender: [0x02] + random.bytes(32),
                    sequence: UInt64(index),
                    payload: .subsidyBatch(
                        SubsidyBatch(
                            programme: Payloads.pension,
                            period: SubsidyPeriod("2026")!,
                            recordCount: 10_000,
                            totalAmount: 1,
                            recordsRoot: random.digest(),
                            beneficiaryTags: (0..<SubsidyBatch.maximumTags).map { _ in random.digest() }
                        )
                    )
                ),
                signature: try Signature(bytes: random.bytes(64))
            )
        }
        let batches = Gossip.batches(large)
        #expect(batches.map(\.count) == [3, 2])
        for batch in batches {
            let frame = WireMessage.transactions(batch).frame
            #expect(frame.count <= WireMessage.maximumFrameSize)
            #expect(try WireMessage(frame: Array(frame.dropFirst(4))) == .transactions(batch))
        }
    }
}
