import LedgerCore
import LedgerCrypto
import NIOConcurrencyHelpers
import NIOCore

/// What the node decided about a gossiped message it saw for the first time.
public enum GossipVerdict: Sendable, Equatable {
    /// Valid and useful: pass it on to every other peer.
    case relay
    /// Keep it here only (not for the current height, or already acted on).
    case keep
    /// Invalid (bad signature, wrong chain): not relayed; the reason is the node's to log or count.
    case reject(String)
}

/// The node behind the gossip layer. Called on event-loop threads: check quickly, hop off for real work.
public protocol GossipHandler: AnyObject, Sendable {
    /// Transactions seen for the first time, in the order they came (one gossip batch); one verdict each.
    func transactions(_ transactions: [SignedTransaction], from peer: PeerConnection) -> [GossipVerdict]
    /// A proposal, block part, vote or evidence.
    func gossip(_ message: WireMessage, from peer: PeerConnection) -> GossipVerdict
    /// A message for this node alone: status, block request, commit, sync part.
    func direct(_ message: WireMessage, from peer: PeerConnection)
    func peerConnected(_ peer: PeerConnection)
    func peerDisconnected(_ node: OrgID, reason: String)
}

/// Flooding gossip over the peer set (`docs/network.md`, "Gossip"): each transaction and piece of evidence
/// is handed to the node once — duplicates are recognised by the SHA-256 of their encoding and dropped — and
/// every gossiped message is relayed to every other peer if the node says it is valid. Transactions travel
/// in batches (`WireMessage.transactions`): a batch's fresh ones are handed over together and the valid ones
/// relayed together. Transactions to send — the node's own and those it relays — wait `transactionDelay` in an
/// outbox, so the ones that arrive together leave as one message per peer (one frame, one TLS record, one
/// hand-over at the receiver) rather than one each. Non-validator observers are peers like any other and so
/// receive everything.
public final class Gossip: PeerNetworkDelegate {
    private struct Outbox {
        var entries: [(transaction: SignedTransaction, except: OrgID?)] = []
        var scheduled = false
    }

    private let seen: NIOLockedValueBox<SeenCache>
    private let outbox = NIOLockedValueBox(Outbox())
    private let transactionDelay: TimeAmount
    private let handler: any GossipHandler
    private let network: NIOLockedValueBox<PeerNetwork?> = NIOLockedValueBox(nil)
    private let counters = NIOLockedValueBox(Counters())

    /// Messages gossip has handled, for metrics and tests.
    public struct Counters: Sendable, Equatable {
        public var delivered: UInt64 = 0
        public var duplicates: UInt64 = 0
        public var relayed: UInt64 = 0
        public var rejected: UInt64 = 0
    }

    public init(
        handler: any GossipHandler,
        seenCapacity: Int = 200_000,
        transactionDelay: TimeAmount = .milliseconds(5)
    ) {
        self.handler = handler
        self.transactionDelay = transactionDelay
        seen = NIOLockedValueBox(SeenCache(capacity: seenCapacity))
    }

    /// Starts `network` with this gossip layer as its delegate; returns the bound port.
    public func start(on network: PeerNetwork) async throws -> Int {
        self.network.withLockedValue { $0 = network }
        return try await network.start(delegate: self)
    }

    public var counts: Counters { counters.withLockedValue { $0 } }

    /// Sends this node's own message to every peer. Transactions and evidence are marked seen, so their echoes
    /// are ignored; consensus messages are never deduplicated here, so need no mark.
    public func publish(_ message: WireMessage) {
        if case .transactions(let transactions) = message { return publish(transactions: transactions) }
        if case .evidence = message {
            let digest = Self.digest(message)
            _ = seen.withLockedValue { $0.insert(digest) }
        }
        network.withLockedValue { $0 }?.broadcast(message)
    }

    /// Sends this node's own transactions to every peer, as few batches as the limits allow.
    public func publish(transactions: [SignedTransaction]) {
        let digests = transactions.map(Self.digest)
        seen.withLockedValue { seen in for digest in digests { _ = seen.insert(digest) } }
        broadcast(transactions, except: nil)
    }

    /// Puts transactions in the outbox for every peer but `peer`; sends them after `transactionDelay`, or at
    /// once when the outbox holds a full batch.
    private func broadcast(_ transactions: [SignedTransaction], except peer: OrgID?) {
        guard let network = network.withLockedValue({ $0 }) else { return }
        let (full, schedule) = outbox.withLockedValue { outbox -> (Bool, Bool) in
            outbox.entries.append(contentsOf: transactions.map { ($0, peer) })
            let schedule = !outbox.scheduled
            outbox.scheduled = true
            return (outbox.entries.count >= WireMessage.maximumGossipBatch, schedule)
        }
        if full {
            sendOutbox()
        } else if schedule {
            network.group.next().scheduleTask(in: transactionDelay) { self.sendOutbox() }
        }
    }

    /// Sends each peer the outbox's transactions not excepting it, in as few messages as the limits allow.
    private func sendOutbox() {
        let entries = outbox.withLockedValue { outbox in
            defer { outbox.entries = [] }
            outbox.scheduled = false
            return outbox.entries
        }
        guard !entries.isEmpty, let network = network.withLockedValue({ $0 }) else { return }
        for peer in network.peers {
            let transactions = entries.compactMap { $0.except == peer.node ? nil : $0.transaction }
            for batch in Self.batches(transactions) { peer.send(.transactions(batch)) }
        }
    }

    /// Splits transactions into `transactions` messages within the count and frame limits, in order.
    static func batches(_ transactions: [SignedTransaction]) -> [[SignedTransaction]] {
        // The message's tag and count take 5 bytes; the frame limit leaves the rest of its kilobyte spare.
        let budget = WireMessage.maximumFrameSize - 1024
        var batches: [[SignedTransaction]] = []
        var current: [SignedTransaction] = []
        var bytes = 0
        for transaction in transactions {
            let size = transaction.canonicalBytes.count
            if !current.isEmpty, current.count == WireMessage.maximumGossipBatch || bytes + size > budget {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(transaction)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    public func peerConnected(_ peer: PeerConnection) { handler.peerConnected(peer) }
    public func peerDisconnected(_ node: OrgID, reason: String) { handler.peerDisconnected(node, reason: reason) }

    public func received(_ message: WireMessage, from peer: PeerConnection) {
        guard Self.isGossip(message) else { return handler.direct(message, from: peer) }
        if case .transactions(let transactions) = message { return received(transactions, from: peer) }
        // Evidence is handed over once. Proposals, votes and block parts are handed over every time they
        // arrive: consensus re-offers them on purpose (SPEC §11) — to a node that dropped them for a height it
        // had not reached yet — and recognises repeats itself, cheaply, before checking signatures.
        if case .evidence = message {
            let digest = Self.digest(message)
            let fresh = seen.withLockedValue { $0.insert(digest) }
            guard fresh else {
                counters.withLockedValue { $0.duplicates += 1 }
                return
            }
        }
        let verdict = handler.gossip(message, from: peer)
        counters.withLockedValue {
            $0.delivered += 1
            switch verdict {
            case .relay: $0.relayed += 1
            case .reject: $0.rejected += 1
            case .keep: break
            }
        }
        if verdict == .relay { network.withLockedValue { $0 }?.broadcast(message, except: peer.node) }
    }

    private func received(_ transactions: [SignedTransaction], from peer: PeerConnection) {
        // Hashed before taking the lock every connection's event loop shares.
        let digests = transactions.map(Self.digest)
        let isFresh = seen.withLockedValue { seen in digests.map { seen.insert($0) } }
        let fresh = transactions.indices.filter { isFresh[$0] }.map { transactions[$0] }
        counters.withLockedValue { $0.duplicates += UInt64(transactions.count - fresh.count) }
        guard !fresh.isEmpty else { return }
        let verdicts = handler.transactions(fresh, from: peer)
        var relayed: [SignedTransaction] = []
        counters.withLockedValue {
            $0.delivered += UInt64(fresh.count)
            for (transaction, verdict) in zip(fresh, verdicts) {
                switch verdict {
                case .relay:
                    $0.relayed += 1
                    relayed.append(transaction)
                case .reject: $0.rejected += 1
                case .keep: break
                }
            }
        }
        if !relayed.isEmpty { broadcast(relayed, except: peer.node) }
    }

    static func isGossip(_ message: WireMessage) -> Bool {
        switch message {
        case .transactions, .proposal, .blockPart, .vote, .evidence: return true
        case .hello, .status, .blockRequest, .commit, .syncPart, .ping, .pong: return false
        }
    }

    static func digest(_ message: WireMessage) -> Digest { SHA256().hash(message.canonicalBytes) }
    static func digest(_ transaction: SignedTransaction) -> Digest { SHA256().hash(transaction.canonicalBytes) }
}
