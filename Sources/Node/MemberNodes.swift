import LedgerCore
import P2P

/// The member nodes of a ledger state (genesis or after governance): what the peer registry accepts.
enum MemberNodes {
    /// Every non-removed member's registered node, with `addresses` overriding the registered ones (a local
    /// test network listens on ports chosen at start).
    static func current(
        state: some StateReader,
        keys: StateKeys,
        addresses: [OrgID: String]
    ) throws -> [PeerIdentity] {
        var members: [Member] = []
        let registry = try state.value(at: keys.registry).map { try MemberRegistry(canonicalBytes: $0) }
        for id in registry?.members ?? [] {
            guard let bytes = try state.value(at: keys.member(id)) else { continue }
            let record = try MemberRecord(canonicalBytes: bytes)
            if !record.removed { members.append(record.member) }
        }
        return PeerIdentity.nodes(of: members).map { peer in
            PeerIdentity(node: peer.node, keyPin: peer.keyPin, address: addresses[peer.node] ?? peer.address)
        }
    }
}
