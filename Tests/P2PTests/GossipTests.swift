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

    func gossip(_ message: WireMessage, from peer: PeerConnection) -> GossipVerdict {
        delivered.withLockedValue { $0.append(message) }
        if case .transaction(let transaction) = message, transaction.transaction.sender == rejectedSender {
            return .reject("bad signature")
        }
        return .relay
    }
    func direct(_ message: WireMessage, from peer: PeerConnection) {}
    func peerConnected(_ peer: PeerConnection) {}
    func peerDisconnected(_ node: OrgID, reason: String) {}

    func count(_ message: WireMessage) -> Int { delivered.withLockedValue { $0.count { $0 == message } } }
}

/// Gossip over a line of nodes A – B – C – O (O an observer that only dials out): every message reaches
/// every node exactly once, a repeated transaction is dropped as a duplicate while a repeated vote is handed
/// over again (consensus re-offers on purpose), and what a node rejects goes no further.
@Suite(.serialized) struct GossipTests {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    @Test func messagesFloodALineOnceAndRejectedOnesStop() async throws {
        var random = SeededGenerator(seed: 11)
        let bad = random.signedTransaction()
        let names = ["A", "B", "C", "O"]
        let identities = try names.map { try TLSIdentity.generate(commonName: $0) }
        let recorders = names.map { _ in GossipRecorder(rejecting: bad.transaction.sender) }
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
        // Who dials whom: A → B, B → C, O → C. Everyone is a member; only those addresses are known.
        let dials: [Int: Int] = [0: 1, 1: 2, 3: 2]
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
        #expect(
            await eventually {
                networks[0].peers.count == 1 && networks[1].peers.count == 2 && networks[2].peers.count == 2
                    && networks[3].peers.count == 1
            }
        )

        let messages = WireMessageTests.messages(&random).filter(Gossip.isGossip)
        #expect(messages.count == 5)
        for message in messages { gossips[0].publish(message) }
        gossips[0].publish(.transaction(bad))
        #expect(await eventually { messages.allSatisfy { recorders[3].count($0) == 1 } })
        try await Task.sleep(nanoseconds: 300_000_000)
        // C publishes A's transaction and vote again: the transaction is a duplicate everywhere; the vote is
        // handed to B and O a second time.
        guard case .transaction = messages[0], case .vote = messages[3] else {
            Issue.record("unexpected message order")
            return
        }
        gossips[2].publish(messages[0])
        gossips[2].publish(messages[3])
        #expect(await eventually { recorders[1].count(messages[3]) == 2 && recorders[3].count(messages[3]) == 2 })
        for message in messages {
            // A's own messages are not handed back to it — except the vote C sent round again.
            #expect(recorders[0].count(message) == (message == messages[3] ? 1 : 0))
            #expect(recorders[1].count(message) == (message == messages[3] ? 2 : 1))
            #expect(recorders[3].count(message) == (message == messages[3] ? 2 : 1))
        }
        #expect(recorders[1].count(.transaction(bad)) == 1)
        #expect(recorders[2].count(.transaction(bad)) == 0, "a rejected message is not relayed")
        #expect(recorders[3].count(.transaction(bad)) == 0)
        #expect(gossips[1].counts.duplicates >= 1)
        #expect(gossips[1].counts.rejected == 1)
        for network in networks { await network.shutdown() }
    }
}
