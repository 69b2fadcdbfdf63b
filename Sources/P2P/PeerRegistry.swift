import LedgerCore
import LedgerCrypto
import NIOConcurrencyHelpers

/// A member node as the network knows it: who, the pin of its TLS key, and where to dial it (if anywhere).
public struct PeerIdentity: Hashable, Sendable {
    public let node: OrgID
    public let keyPin: Digest
    /// `host:port`; nil for a node that only dials out (an observer behind a firewall).
    public let address: String?

    public init(node: OrgID, keyPin: Digest, address: String?) {
        self.node = node
        self.keyPin = keyPin
        self.address = address
    }
}

/// The member nodes this node accepts, by TLS key pin: read by every TLS handshake, replaced when governance
/// changes the registry. Thread-safe; lookups are a dictionary read under a lock.
public final class PeerRegistry: Sendable {
    private struct Contents {
        var byPin: [Digest: PeerIdentity] = [:]
        var byNode: [OrgID: PeerIdentity] = [:]
    }

    private let contents: NIOLockedValueBox<Contents>

    public init(_ peers: [PeerIdentity] = []) {
        contents = NIOLockedValueBox(Contents())
        _ = replace(with: peers)
    }

    /// The member node whose registered TLS key has this pin, if any.
    public func node(forPin pin: Digest) -> PeerIdentity? { contents.withLockedValue { $0.byPin[pin] } }

    public func identity(of node: OrgID) -> PeerIdentity? { contents.withLockedValue { $0.byNode[node] } }

    public var all: [PeerIdentity] {
        contents.withLockedValue { Array($0.byNode.values) }.sorted { $0.node < $1.node }
    }

    /// Installs a new registry and returns the nodes that left it or whose key changed: their connections
    /// must close (a rotated key reconnects with its new certificate).
    @discardableResult
    public func replace(with peers: [PeerIdentity]) -> Set<OrgID> {
        contents.withLockedValue { contents in
            var next = Contents()
            for peer in peers {
                next.byPin[peer.keyPin] = peer
                next.byNode[peer.node] = peer
            }
            let gone = contents.byNode.values.filter { next.byNode[$0.node]?.keyPin != $0.keyPin }.map(\.node)
            contents = next
            return Set(gone)
        }
    }
}

extension PeerIdentity {
    /// The registered nodes of `members` (genesis or the current state): validators' and observers'.
    public static func nodes(of members: [Member]) -> [PeerIdentity] {
        members.compactMap { member in
            if let validator = member.validator {
                return PeerIdentity(node: member.id, keyPin: validator.tlsKeyPin, address: validator.address)
            }
            return member.observerNode.map {
                PeerIdentity(node: member.id, keyPin: $0.tlsKeyPin, address: $0.address.isEmpty ? nil : $0.address)
            }
        }
    }
}
