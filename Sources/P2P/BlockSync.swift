import Dispatch
import LedgerCore
import LedgerCrypto
import NIOConcurrencyHelpers
import NIOCore

/// Why a synced block was not committed. The peer that served it is dropped — unless the fault is this node's
/// own (`isLocal`: its store could not be read or written), which no peer is blamed for.
public struct SyncRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public let isLocal: Bool

    /// The block failed a check: the peer that served it is at fault.
    public init(_ reason: String) {
        self.reason = reason
        isLocal = false
    }

    private init(reason: String, isLocal: Bool) {
        self.reason = reason
        self.isLocal = isLocal
    }

    /// This node could not commit the block through no fault of the block: sync stops until restarted.
    public static func local(_ reason: String) -> SyncRefusal { SyncRefusal(reason: reason, isLocal: true) }

    public var description: String { isLocal ? "this node failed: \(reason)" : reason }
}

/// The ledger as block sync sees it (the node implements it over its store).
public protocol SyncLedger: AnyObject, Sendable {
    func committedHeight() -> UInt64
    /// A committed block with its commit certificate, to serve a peer; nil when not held.
    func committedBlock(at height: UInt64) -> (block: Block, certificate: CommitCertificate)?
    /// Verifies the certificate against V(h), executes the block, checks its header and commits it.
    func commitSynced(_ block: Block, certificate: CommitCertificate) throws(SyncRefusal)
}

/// Block sync (`docs/network.md`, "Block sync"; Consensus/SPEC §11). A node behind its peers asks them for
/// committed blocks — a window of heights at once, spread over the peers that have them — receives each as a
/// `commit` (the certificate) and `syncPart`s, assembles it against the certificate's block hash, and commits
/// blocks strictly in height order on its own queue after the ledger has checked them. A peer whose block
/// fails any check is disconnected and not asked again for a while; its heights go to another peer. It also
/// serves the same requests from others.
public final class BlockSync: Sendable {
    public struct Configuration: Sendable {
        /// Heights requested ahead of the committed one.
        public var window = 32
        public var requestTimeoutMilliseconds: Int64 = 5_000
        /// How long a peer that served a bad block is not asked again.
        public var banMilliseconds: Int64 = 60_000
        /// The chain's block size limit, bounding what one assembly may buffer.
        public var maximumBlockBytes: Int
        public var hash: any HashFunction

        public init(maximumBlockBytes: Int, hash: any HashFunction) {
            self.maximumBlockBytes = maximumBlockBytes
            self.hash = hash
        }
    }

    /// Counters for metrics and tests.
    public struct Progress: Sendable, Equatable {
        public var committed: UInt64 = 0
        public var refused: UInt64 = 0
        public var served: UInt64 = 0
        public var peersDropped: [OrgID] = []
        /// Why sync stopped, when this node's own store failed it (`SyncRefusal.isLocal`).
        public var stoppedBy: String?
    }

    private struct Request {
        let peer: OrgID
        let sent: NIODeadline
        var certificate: CommitCertificate?
        var assembler: BlockAssembler?
    }

    private struct Ready {
        let block: Block
        let certificate: CommitCertificate
        let peer: OrgID
    }

    private struct State {
        var heights: [OrgID: UInt64] = [:]
        var requests: [UInt64: Request] = [:]
        var ready: [UInt64: Ready] = [:]
        var banned: [OrgID: NIODeadline] = [:]
        var applying = false
        var turn = 0
        var progress = Progress()
        var timer: RepeatedTask?
    }

    private let ledger: any SyncLedger
    private let network: PeerNetwork
    private let configuration: Configuration
    private let state = NIOLockedValueBox(State())
    private let queue = DispatchQueue(label: "civic.block-sync")
    private let onCommit: @Sendable (UInt64) -> Void

    /// `onCommit` is called (on the sync queue) after each synced block is committed.
    public init(
        ledger: any SyncLedger,
        network: PeerNetwork,
        configuration: Configuration,
        onCommit: @escaping @Sendable (UInt64) -> Void = { _ in }
    ) {
        self.ledger = ledger
        self.network = network
        self.configuration = configuration
        self.onCommit = onCommit
    }

    /// Starts the timer that retries timed-out requests.
    public func start(on loop: any EventLoop) {
        let task = loop.scheduleRepeatedTask(initialDelay: .milliseconds(250), delay: .milliseconds(250)) { _ in
            self.pump()
        }
        state.withLockedValue { $0.timer = task }
    }

    public func stop() {
        state.withLockedValue { $0.timer }?.cancel()
    }

    public var progress: Progress { state.withLockedValue { $0.progress } }

    /// The highest height any connected peer has announced.
    public var bestPeerHeight: UInt64 { state.withLockedValue { $0.heights.values.max() ?? 0 } }

    /// True when no connected peer is ahead of this node: consensus can take over.
    public var isCaughtUp: Bool { bestPeerHeight <= ledger.committedHeight() }

    // MARK: - Events from the node

    /// A (new) connection to a peer: requests sent on an earlier connection to it may be lost with that
    /// connection (the one-per-pair tie-break replaces connections), so they are asked again.
    public func peerConnected(_ peer: PeerConnection) {
        state.withLockedValue { state in state.requests = state.requests.filter { $0.value.peer != peer.node } }
        peerHeight(peer.node, peer.hello.height)
    }

    /// A peer announced its committed height (hello or status).
    public func peerHeight(_ node: OrgID, _ height: UInt64) {
        state.withLockedValue { $0.heights[node] = max($0.heights[node] ?? 0, height) }
        pump()
    }

    public func peerDisconnected(_ node: OrgID) {
        state.withLockedValue { state in
            state.heights[node] = nil
            state.requests = state.requests.filter { $0.value.peer != node }
        }
        pump()
    }

    /// Handles a sync message; false when `message` is not one.
    @discardableResult
    public func handle(_ message: WireMessage, from peer: PeerConnection) -> Bool {
        switch message {
        case .blockRequest(let height): serve(height, to: peer)
        case .commit(let certificate): received(certificate, from: peer)
        case .syncPart(let part): received(part, from: peer)
        default: return false
        }
        return true
    }

    // MARK: - Serving

    private func serve(_ height: UInt64, to peer: PeerConnection) {
        guard let (block, certificate) = ledger.committedBlock(at: height) else { return }
        peer.send(.commit(certificate))
        for part in BlockPart.split(block, blockHash: certificate.blockHash, round: certificate.round) {
            peer.send(.syncPart(part))
        }
        state.withLockedValue { $0.progress.served += 1 }
    }

    // MARK: - Receiving

    private func received(_ certificate: CommitCertificate, from peer: PeerConnection) {
        state.withLockedValue { state in
            guard var request = state.requests[certificate.height], request.peer == peer.node,
                request.certificate == nil
            else { return }
            request.certificate = certificate
            request.assembler = BlockAssembler(
                blockHash: certificate.blockHash,
                maximumBlockBytes: configuration.maximumBlockBytes,
                hash: configuration.hash
            )
            state.requests[certificate.height] = request
        }
    }

    private func received(_ part: BlockPart, from peer: PeerConnection) {
        let failure: String? = state.withLockedValue { state in
            guard var request = state.requests[part.height], request.peer == peer.node,
                let certificate = request.certificate, var assembler = request.assembler
            else { return nil }
            guard part.blockHash == certificate.blockHash else {
                return "sent a part of another block than its certificate names"
            }
            do {
                if let block = try assembler.add(part) {
                    state.requests[part.height] = nil
                    state.ready[part.height] = Ready(block: block, certificate: certificate, peer: peer.node)
                } else {
                    request.assembler = assembler
                    state.requests[part.height] = request
                }
            } catch {
                return "sent block \(part.height) that does not assemble: \(error)"
            }
            return nil
        }
        if let failure { return drop(peer.node, failure) }
        applyReady()
    }

    // MARK: - Committing, in order, off the event loop

    private func applyReady() {
        let start = state.withLockedValue { state -> Bool in
            guard !state.applying, state.progress.stoppedBy == nil else { return false }
            state.applying = true
            return true
        }
        guard start else { return }
        queue.async { self.applyLoop() }
    }

    private func applyLoop() {
        while true {
            let next = ledger.committedHeight() + 1
            let ready: Ready? = state.withLockedValue { state in
                state.ready = state.ready.filter { $0.key >= next }
                guard let ready = state.ready.removeValue(forKey: next) else {
                    state.applying = false
                    return nil
                }
                return ready
            }
            guard let ready else { break }
            do {
                try ledger.commitSynced(ready.block, certificate: ready.certificate)
                state.withLockedValue { $0.progress.committed += 1 }
                onCommit(next)
            } catch let error where error.isLocal {
                // This node's store failed, not the peer: nothing is blamed, and nothing more is asked for or
                // committed (a store that fails once is not trusted to go on; the node reports it).
                state.withLockedValue { state in
                    state.progress.stoppedBy = "block \(next): \(error.reason)"
                    state.ready = [:]
                    state.requests = [:]
                    state.applying = false
                }
                return
            } catch {
                state.withLockedValue { $0.progress.refused += 1 }
                drop(ready.peer, "served block \(next), which failed its checks: \(error)")
            }
        }
        pump()
    }

    /// Disconnects a peer that served a bad block, forgets what it sent, and asks others instead.
    private func drop(_ node: OrgID, _ reason: String) {
        state.withLockedValue { state in
            state.banned[node] = NIODeadline.now() + .milliseconds(configuration.banMilliseconds)
            state.requests = state.requests.filter { $0.value.peer != node }
            state.ready = state.ready.filter { $0.value.peer != node }
            state.heights[node] = nil
            state.progress.peersDropped.append(node)
        }
        network.peer(node)?.close("block sync: \(reason)")
        pump()
    }

    // MARK: - Requesting

    /// Requests the missing heights of the window from peers that have them, and re-requests timed-out ones.
    public func pump() {
        let committed = ledger.committedHeight()
        let now = NIODeadline.now()
        let sends: [(OrgID, UInt64)] = state.withLockedValue { state in
            guard state.progress.stoppedBy == nil else { return [] }
            state.banned = state.banned.filter { $0.value > now }
            let timeout = TimeAmount.milliseconds(configuration.requestTimeoutMilliseconds)
            state.requests = state.requests.filter { $0.key > committed && now - $0.value.sent < timeout }
            let best = state.heights.values.max() ?? 0
            guard best > committed else { return [] }
            var sends: [(OrgID, UInt64)] = []
            let last = min(best, committed + UInt64(configuration.window))
            for height in (committed + 1)...last
            where state.requests[height] == nil && state.ready[height] == nil {
                let eligible = state.heights.filter { $0.value >= height && state.banned[$0.key] == nil }.keys
                    .sorted()
                guard !eligible.isEmpty else { continue }
                let peer = eligible[state.turn % eligible.count]
                state.turn &+= 1
                state.requests[height] = Request(peer: peer, sent: now)
                sends.append((peer, height))
            }
            return sends
        }
        for (node, height) in sends { network.peer(node)?.send(.blockRequest(height: height)) }
    }
}
