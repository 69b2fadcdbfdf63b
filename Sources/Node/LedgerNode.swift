import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import P2P
import Storage

/// A whole node in one process (`docs/node.md`): the RocksDB store, the mempool, consensus on its own event
/// loop, and the peer layer with gossip and block sync. `civicd start` runs one; tests run several.
public final class LedgerNode: Sendable {
    public struct Configuration: Sendable {
        public var node: OrgID
        /// Holds `ledger/` (RocksDB), `wal/` and `signing-guard`.
        public var dataDirectory: String
        /// Nil for an observer.
        public var consensusKey: PrivateKey?
        public var tls: TLSIdentity
        /// Reads the rotated TLS key waiting for governance to register its pin, if any (`civicd tls rotate`
        /// writes one while the node runs). When the committed registry names a pin this node does not present,
        /// the waiting key with that pin is presented from then on, and `onTLSRotated` is called (to make its
        /// files current).
        public var rotatedTLS: @Sendable () -> TLSIdentity? = { nil }
        public var onTLSRotated: @Sendable () -> Void = {}
        public var listenHost = "127.0.0.1"
        public var listenPort = 0
        /// Peer addresses that override the registered ones (a local network picks its ports at start).
        public var peerAddresses: [OrgID: String] = [:]
        public var mempoolLimits = Mempool.Limits()
        /// State-tree nodes the store caches per generation (`RocksDBLedgerStore.init`).
        public var treeCacheNodes = 1 << 20
        /// Least time between blocks (`ConsensusNode.Configuration.blockIntervalMilliseconds`).
        public var blockIntervalMilliseconds: Int64 = 250
        /// Keep `signing-journal` beside the signing guard (`SigningJournal`).
        public var signingJournal = false

        public init(node: OrgID, dataDirectory: String, consensusKey: PrivateKey?, tls: TLSIdentity) {
            self.node = node
            self.dataDirectory = dataDirectory
            self.consensusKey = consensusKey
            self.tls = tls
        }
    }

    public let configuration: Configuration
    public let store: RocksDBLedgerStore
    public let mempool: Mempool
    public let consensus: ConsensusNode
    public let network: PeerNetwork
    public let gossip: Gossip
    public let sync: BlockSync
    public let metrics: NodeMetrics
    public let tracker: TransactionTracker
    public let commitWaiters: CommitWaiters
    /// The port the peer layer listens on.
    public let port: Int
    private let consensusGroup: MultiThreadedEventLoopGroup

    private init(
        configuration: Configuration,
        store: RocksDBLedgerStore,
        mempool: Mempool,
        consensus: ConsensusNode,
        network: PeerNetwork,
        gossip: Gossip,
        sync: BlockSync,
        metrics: NodeMetrics,
        tracker: TransactionTracker,
        commitWaiters: CommitWaiters,
        port: Int,
        consensusGroup: MultiThreadedEventLoopGroup
    ) {
        self.configuration = configuration
        self.store = store
        self.mempool = mempool
        self.consensus = consensus
        self.network = network
        self.gossip = gossip
        self.sync = sync
        self.metrics = metrics
        self.tracker = tracker
        self.commitWaiters = commitWaiters
        self.port = port
        self.consensusGroup = consensusGroup
    }

    /// Opens the store (initialising it from `genesis` on first start), starts listening and dialing, and
    /// starts consensus at the height after the committed one.
    public static func start(
        genesis: Genesis,
        configuration: Configuration,
        group: any EventLoopGroup,
        logger: Logger = Logger(label: "civic.node")
    ) async throws -> LedgerNode {
        let directory = configuration.dataDirectory
        try FileManager.default.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let store = try RocksDBLedgerStore(
            path: directory + "/ledger",
            suite: genesis.suite,
            cachedNodes: configuration.treeCacheNodes
        )
        try store.initialize(genesis: genesis)
        let executor = Executor(rules: genesis.rules)
        let metrics = NodeMetrics()
        let tracker = TransactionTracker()
        let mempool = Mempool(executor: executor, limits: configuration.mempoolLimits) { drops in
            for (code, count) in drops { metrics.rejected(code, count: count) }
        }
        let consensusGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var consensusConfiguration = ConsensusNode.Configuration(
            node: configuration.node,
            consensusKey: configuration.consensusKey,
            walDirectory: directory + "/wal",
            signingGuardPath: directory + "/signing-guard"
        )
        consensusConfiguration.blockIntervalMilliseconds = configuration.blockIntervalMilliseconds
        if configuration.signingJournal { consensusConfiguration.signingJournalPath = directory + "/signing-journal" }
        let consensus = try ConsensusNode(
            store: store,
            genesis: genesis,
            mempool: mempool,
            configuration: consensusConfiguration,
            loop: consensusGroup.next(),
            logger: logger
        )
        let members = try MemberNodes.current(
            state: store.state(at: store.committedHeight()),
            keys: genesis.rules.keys,
            addresses: configuration.peerAddresses
        )
        let registry = PeerRegistry(members)
        let registeredPin: @Sendable ([PeerIdentity]) -> Digest? = { nodes in
            nodes.first { $0.node == configuration.node }?.keyPin
        }
        var identity = configuration.tls
        switch registeredPin(members) {
        case nil:
            logger.notice(
                "this node is not a member node at the committed height: peers accept it once governance admits it",
                metadata: ["node": "\(configuration.node)"]
            )
        case let pin? where pin != identity.keyPin:
            // Governance may have registered the rotated key while the node was stopped.
            if let next = configuration.rotatedTLS(), next.keyPin == pin {
                identity = next
                configuration.onTLSRotated()
            } else {
                logger.warning(
                    "this node's TLS key is not the one registered for it: peers will refuse it",
                    metadata: ["registered": "\(pin.hex)", "presented": "\(identity.keyPin.hex)"]
                )
            }
        default: break
        }
        let networkConfiguration = PeerNetworkConfiguration(
            listenHost: configuration.listenHost,
            listenPort: configuration.listenPort,
            identity: identity
        )
        let chain = genesis.chainID
        let genesisHash = genesis.hash
        let node = configuration.node
        let network = try PeerNetwork(
            configuration: networkConfiguration,
            registry: registry,
            group: group,
            logger: logger
        ) {
            PeerHello(chainID: chain, genesisHash: genesisHash, nodeID: node, height: consensus.committedHeight())
        }
        let sync = BlockSync(
            ledger: consensus,
            network: network,
            configuration: BlockSync.Configuration(
                maximumBlockBytes: Int(genesis.consensus.maximumBlockBytes),
                hash: genesis.suite.suite.hashFunction
            )
        )
        let gossip = Gossip(handler: NodeGossipHandler(consensus: consensus, sync: sync, metrics: metrics))
        let commitWaiters = CommitWaiters(loop: group.next())
        consensus.onCommit { _, ids, seconds in
            metrics.committed(transactions: ids.count, seconds: seconds)
            commitWaiters.committed(ids)
        }
        // Governance changes the member nodes: the registry follows every commit.
        let addresses = configuration.peerAddresses
        let keys = genesis.rules.keys
        let rotatedTLS = configuration.rotatedTLS
        let onTLSRotated = configuration.onTLSRotated
        consensus.onCommit { height, _, _ in
            let nodes: [PeerIdentity]
            do {
                nodes = try MemberNodes.current(state: store.state(at: height), keys: keys, addresses: addresses)
            } catch {
                // The peer set stays as it was: a later commit reads it again.
                logger.error(
                    "could not read the member nodes after a commit",
                    metadata: ["height": "\(height)", "error": "\(error)"]
                )
                return
            }
            guard Set(nodes) != Set(registry.all) else { return }
            // This node's own key rotated by governance: present the waiting key before peers refuse the old.
            if let pin = registeredPin(nodes), pin != network.keyPin, let next = rotatedTLS(), next.keyPin == pin {
                do {
                    try network.replaceIdentity(next)
                    onTLSRotated()
                } catch {
                    logger.error("could not present the rotated TLS key", metadata: ["reason": "\(error)"])
                }
            }
            network.registryChanged(nodes)
        }
        let port = try await gossip.start(on: network)
        sync.start(on: group.next())
        try await consensus.attach(network: network, gossip: gossip, sync: sync).get()
        return LedgerNode(
            configuration: configuration,
            store: store,
            mempool: mempool,
            consensus: consensus,
            network: network,
            gossip: gossip,
            sync: sync,
            metrics: metrics,
            tracker: tracker,
            commitWaiters: commitWaiters,
            port: port,
            consensusGroup: consensusGroup
        )
    }

    /// Admits transactions to this node's mempool and gossips the admitted ones. Refusals are counted by
    /// code, and remembered for `GET /v1/txs/{hash}` only for transactions whose signature verified: anyone
    /// can make the others for free — junk under a key that is no member's, or under a member's public key
    /// with a bogus signature — and they must not evict the refusals members look up.
    public func submit(_ transactions: [SignedTransaction]) -> [Result<Digest, MempoolRefusal>] {
        let admissions = mempool.admit(transactions, state: store.state(at: consensus.committedHeight()))
        let hash = consensus.genesis.suite.suite.hashFunction
        var admitted: [SignedTransaction] = []
        var remembered: [(Digest, MempoolRefusal)] = []
        var refused: [MempoolRefusal] = []
        for (transaction, admission) in zip(transactions, admissions) {
            switch admission.result {
            case .success: admitted.append(transaction)
            case .failure(let refusal):
                refused.append(refusal)
                if admission.signatureVerified { remembered.append((transaction.id(hash: hash), refusal)) }
            }
        }
        tracker.refused(remembered)
        countRefused(refused)
        gossip.publish(transactions: admitted)
        return admissions.map(\.result)
    }

    /// The refusals a batch's envelopes alone decide (`Mempool.envelopeRefusals`); a batch received as bytes
    /// asks this first and decodes and submits only the rest, then counts these (`countRefused`) once the
    /// batch is known to be well formed. Such refusals are never remembered: nothing about them is signed.
    public func envelopeRefusals(_ envelopes: [TransactionEnvelope]) -> [MempoolRefusal?] {
        mempool.envelopeRefusals(envelopes, state: store.state(at: consensus.committedHeight()))
    }

    /// Counts refusals in the `civic_rejected_transactions_total` metric, by code.
    public func countRefused(_ refusals: some Sequence<MempoolRefusal>) {
        var codes: [String: Int] = [:]
        for refusal in refusals { codes[refusal.code, default: 0] += 1 }
        for (code, count) in codes { metrics.rejected(code, count: count) }
    }

    /// Stops consensus and the peer layer, then closes the store.
    public func shutdown() async throws {
        try await consensus.stop().get()
        commitWaiters.releaseAll()
        sync.stop()
        await network.shutdown()
        try await consensusGroup.shutdownGracefully()
        store.close()
    }
}
