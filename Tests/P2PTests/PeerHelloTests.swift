import LedgerCore
import LedgerCrypto
import P2P
import Testing

/// The first message on a connection (`docs/network.md`): a mismatch of chain, genesis, protocol or node
/// identity is refused with its reason.
struct PeerHelloTests {
    static let ours = PeerHello(
        chainID: ChainID("civic-test")!,
        genesisHash: SHA256().hash(utf8: "genesis"),
        nodeID: OrgID("440000")!,
        height: 12
    )

    static func peer(
        chain: String = "civic-test",
        genesis: String = "genesis",
        version: UInt16 = PeerHello.protocolVersion,
        node: String = "330000"
    ) -> PeerHello {
        PeerHello(
            chainID: ChainID(chain)!,
            genesisHash: SHA256().hash(utf8: genesis),
            protocolVersion: version,
            nodeID: OrgID(node)!,
            height: 40
        )
    }

    @Test func matchingHelloIsAcceptedWhateverItsHeight() throws {
        let hello = Self.peer()
        try hello.check(against: Self.ours, expectedNode: OrgID("330000")!)
        #expect(try PeerHello(canonicalBytes: hello.canonicalBytes) == hello)
    }

    @Test func everyMismatchIsRefusedWithItsReason() {
        let registered = OrgID("330000")!
        let cases: [(PeerHello, String)] = [
            (Self.peer(chain: "civic-other"), "chain civic-other"),
            (Self.peer(genesis: "another genesis"), "genesis"),
            (Self.peer(version: PeerHello.protocolVersion + 1), "protocol \(PeerHello.protocolVersion + 1)"),
            (Self.peer(node: "510000"), "registered to 330000"),
        ]
        for (hello, reason) in cases {
            #expect {
                try hello.check(against: Self.ours, expectedNode: registered)
            } throws: { error in
                (error as? HandshakeError)?.description.contains(reason) ?? false
            }
        }
    }
}
