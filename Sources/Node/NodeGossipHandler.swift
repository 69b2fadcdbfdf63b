import LedgerCore
import P2P

/// Routes what peers send to the node's parts (`docs/node.md`): transactions to the mempool (relayed when
/// admitted), consensus messages to the consensus loop, sync messages to block sync, statuses to both.
final class NodeGossipHandler: GossipHandler {
    let consensus: ConsensusNode
    let sync: BlockSync
    let metrics: NodeMetrics

    init(consensus: ConsensusNode, sync: BlockSync, metrics: NodeMetrics) {
        self.consensus = consensus
        self.sync = sync
        self.metrics = metrics
    }

    /// A gossip batch is admitted as one (signatures verified together); what the mempool took is relayed.
    func transactions(_ transactions: [SignedTransaction], from peer: PeerConnection) -> [GossipVerdict] {
        let state = consensus.store.state(at: consensus.committedHeight())
        return consensus.mempool.add(transactions, state: state).map { result in
            switch result {
            case .success: return .relay
            case .failure(.duplicate), .failure(.full), .failure(.senderQuota): return .keep
            case .failure(let refusal):
                metrics.rejected(refusal.code)
                return .reject(refusal.code)
            }
        }
    }

    func gossip(_ message: WireMessage, from peer: PeerConnection) -> GossipVerdict {
        // Checked on the consensus loop against this height's validators; offered onwards by re-offering.
        let node = peer.node
        consensus.loop.execute { self.consensus.received(message, from: node) }
        return .keep
    }

    func direct(_ message: WireMessage, from peer: PeerConnection) {
        switch message {
        case .status(let status):
            // A status names the height being decided: the peer has committed the one before.
            sync.peerHeight(peer.node, status.height > 0 ? status.height - 1 : 0)
            let node = peer.node
            consensus.loop.execute { self.consensus.received(message, from: node) }
        default: sync.handle(message, from: peer)
        }
    }

    func peerConnected(_ peer: PeerConnection) {
        sync.peerConnected(peer)
        peer.send(.status(consensus.status))
    }

    func peerDisconnected(_ node: OrgID, reason: String) { sync.peerDisconnected(node) }
}
