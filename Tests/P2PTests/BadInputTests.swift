import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import P2P

/// What a member's node sends after TLS can still be wrong; each kind of bad input closes only that
/// connection, with the reason logged, while the node's other connections keep working.
@Suite(.serialized) struct BadInputTests {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    enum Input: String, CaseIterable {
        case oversizedFrame, emptyFrame, garbageMessage, notAHello, secondHello, truncatedThenSilent, garbageBytes
    }

    func hello(_ node: String) -> [UInt8] {
        WireMessage.hello(
            PeerHello(chainID: TestPeer.chain, genesisHash: TestPeer.genesisHash, nodeID: OrgID(node)!, height: 0)
        ).frame
    }

    func bytes(for input: Input) -> [UInt8] {
        switch input {
        case .oversizedFrame: return hello("C") + [0xFF, 0xFF, 0xFF, 0xF0]
        case .emptyFrame: return hello("C") + [0, 0, 0, 0]
        case .garbageMessage: return hello("C") + FrameDecoder.frame([99, 1, 2, 3])
        case .notAHello: return WireMessage.ping(nonce: 1).frame
        case .secondHello: return hello("C") + hello("C")
        case .truncatedThenSilent: return hello("C") + Array(WireMessage.ping(nonce: 1).frame.prefix(6))
        case .garbageBytes: return (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        }
    }

    func expectedReason(_ input: Input) -> String {
        switch input {
        case .oversizedFrame: return "bad frame: frame of"
        case .emptyFrame: return "bad frame: empty frame"
        case .garbageMessage: return "bad message"
        case .notAHello: return "the first frame was not a hello"
        case .secondHello: return "a second hello"
        case .truncatedThenSilent: return "silent for"
        case .garbageBytes: return "bad"
        }
    }

    @Test(arguments: Input.allCases) func badInputClosesOnlyThatConnection(input: Input) async throws {
        let c = try TLSIdentity.generate(commonName: "node C")
        // B closes a silent connection after 5 s: long enough for a TLS handshake and the test's first write on
        // a machine whose cores the whole suite holds (at 2 s a run once found the link closed before it wrote);
        // both ping every 300 ms, so only the silent raw peer is silent. No input here depends on the handshake
        // timeout, so it is kept out of the way of a slow handshake.
        let a = try await TestPeer("A", group: group) { $0.pingIntervalMilliseconds = 300 }
        let b = try await TestPeer("B", group: group) {
            $0.deadAfterMilliseconds = 5_000
            $0.handshakeTimeoutMilliseconds = TestPeer.outOfReachMilliseconds
            $0.pingIntervalMilliseconds = 300
        }
        let cEntry = PeerIdentity(node: OrgID("C")!, keyPin: c.keyPin, address: nil)
        a.network.registryChanged([a.identityEntry, b.identityEntry, cEntry])
        b.network.registryChanged([a.identityEntry, b.identityEntry, cEntry])
        #expect(await eventually { a.connected(to: b) && b.connected(to: a) })

        let raw = try await RawPeer(identity: c, port: b.port, group: group, sending: bytes(for: input))
        #expect(await eventually { !raw.isOpen }, "the node keeps a connection that sent \(input)")
        // The node logs the reason when its side of the channel closes, which may be after the client's.
        #expect(
            await eventually { b.logs.contains(expectedReason(input)) },
            "\(b.logs.lines.withLockedValue { $0 })"
        )

        // The node's other connection is untouched and still carries messages.
        #expect(a.connected(to: b) && b.connected(to: a))
        a.network.broadcast(.status(PeerStatus(height: 77, round: 0)))
        #expect(await eventually { b.delegate.messages.contains { $0.1 == .status(PeerStatus(height: 77, round: 0)) } })
        await a.network.shutdown()
        await b.network.shutdown()
    }
}
