import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import Logging
import NIOConcurrencyHelpers
import NIOCore
import P2P
import Storage

/// A validator or observer node's consensus, wired to its store, mempool and peers (`docs/node.md`).
///
/// Everything here runs on one event loop, `loop`, which no socket uses: the engine and its driver (with the
/// file WAL and signing guard), block building and validation, commits, block-sync commits, timers and
/// gossip re-offering. Network threads only hand messages over. A validator outside the current validator
/// set, or a node without a consensus key (an observer), follows by block sync alone.
public final class ConsensusNode: SyncLedger, @unchecked Sendable {
    /// Where the node keeps its consensus files, and its identity.
    public struct Configuration: Sendable {
        public var node: OrgID
        /// Nil for an observer.
        public var consensusKey: PrivateKey?
        public var walDirectory: String
        public var signingGuardPath: String
        /// Where to append every released signature (`SigningJournal`); nil for none.
        public var signingJournalPath: String?
        /// How often peers are re-offered what their round needs (SPEC §11).
        public var gossipIntervalMilliseconds: Int64 = 250
        /// The least time from one height's start to the next's: a proposer waits this long after a commit
        /// before building, so transactions gather into blocks instead of a stream of near-empty ones, and
        /// slower validators' last precommits still arrive (CometBFT's `timeout_commit`).
        public var blockIntervalMilliseconds: Int64 = 250

        public init(node: OrgID, consensusKey: PrivateKey?, walDirectory: String, signingGuardPath: String) {
            self.node = node
            self.consensusKey = consensusKey
            self.walDirectory = walDirectory
            self.signingGuardPath = signingGuardPath
        }
    }

    /// A block of this height: built here or received, with what its execution gave, once validated.
    private struct Candidate {
        let block: Block
        /// Nil until validated; then the results and state to commit, or nil for an invalid block.
        var execution: (results: [TransactionResult], state: PreparedState)?
        var checked = false
    }

    /// Next-height proposals and votes kept at most while the current height finishes.
    static let maximumEarly = 1_000

    public let store: RocksDBLedgerStore
    public let executor: Executor
    public let genesis: Genesis
    /// `genesis.network`, computed once: every vote and proposal is checked against it.
    public let networkID: NetworkID
    public let mempool: Mempool
    public let loop: any EventLoop
    let configuration: Configuration
    private let logger: Logger
    private let hash: any HashFunction
    /// Set once by `attach`.
    private var network: PeerNetwork?
    private var gossip: Gossip?
    private var sync: BlockSync?

    // Loop-confined state.
    private var schedule: ProposerSchedule
    private var driver: ConsensusDriver<FileConsensusWAL, FileSigningGuard>?
    private var wal: FileConsensusWAL
    private var signer: FileSigningGuard?
    private var height: UInt64 = 0
    private var validators = ValidatorSet(validators: [])
    private var messages: [UInt32: [ConsensusEvent]] = [:]
    /// Digests of the proposals, votes and parts of this height already handled (peers re-offer them).
    private var seen: Set<Digest> = []
    /// Proposals and votes for the next height, which arrive before this node commits its current one;
    /// checked and fed once that height opens (bounded).
    private var early: [WireMessage] = []
    private var candidates: [Digest: Candidate] = [:]
    private var assemblers: [Digest: BlockAssembler] = [:]
    private var awaitingValidation: Set<Digest> = []
    private var lastCertificate: CommitCertificate?
    private var peerStatus: [OrgID: PeerStatus] = [:]
    private var offered: [OrgID: (status: PeerStatus, at: NIODeadline)] = [:]
    private var evidence = EvidencePool()
    private var timers: [Scheduled<Void>] = []
    private var gossipTask: RepeatedTask?
    private var heightStarted = NIODeadline.now()
    private var stopped = false
    /// Called on the loop after each commit (height, transactions, seconds since the height started).
    private let commitListeners = NIOLockedValueBox<[@Sendable (UInt64, [Digest], Double) -> Void]>([])
    private let published = NIOLockedValueBox(PeerStatus(height: 0, round: 0))
    /// The last committed height, kept here so that readers on any thread never ask the store for it (a failed
    /// read once answered 0): read from the store when the node opens, moved after each commit, never ahead of
    /// the store.
    private let lastCommitted: NIOLockedValueBox<UInt64>
    private let elsewhere = NIOLockedValueBox<UInt64>(0)

    public init(
        store: RocksDBLedgerStore,
        genesis: Genesis,
        mempool: Mempool,
        configuration: Configuration,
        loop: any EventLoop,
        logger: Logger = Logger(label: "civic.consensus")
    ) throws {
        self.store = store
        self.genesis = genesis
        networkID = genesis.network
        executor = Executor(rules: genesis.rules)
        self.mempool = mempool
        self.configuration = configuration
        self.loop = loop
        self.logger = logger
        hash = genesis.suite.suite.hashFunction
        schedule = try ProposerSchedule(store: store, rules: genesis.rules)
        wal = try FileConsensusWAL(directory: configuration.walDirectory)
        if let key = configuration.consensusKey {
            let journal = try configuration.signingJournalPath.map { path throws(FileSystemError) in
                try SigningJournal(path: path)
            }
            signer = try FileSigningGuard(path: configuration.signingGuardPath, key: key, journal: journal)
        }
        let committed = try store.committedHeight()
        lastCommitted = NIOLockedValueBox(committed)
        lastCertificate = try store.certificate(at: committed)
    }

    /// Connects the node to its peer layer and starts consensus at the height after the committed one.
    public func attach(network: PeerNetwork, gossip: Gossip, sync: BlockSync) -> EventLoopFuture<Void> {
        loop.submit {
            self.network = network
            self.gossip = gossip
            self.sync = sync
            try self.enterHeight(immediately: true)
            self.gossipTask = self.loop.scheduleRepeatedTask(
                initialDelay: .milliseconds(self.configuration.gossipIntervalMilliseconds),
                delay: .milliseconds(self.configuration.gossipIntervalMilliseconds)
            ) { _ in self.reoffer() }
        }
    }

    /// Stops timers and gossip; the WAL and guard are already durable after every step.
    public func stop() -> EventLoopFuture<Void> {
        loop.submit {
            self.stopped = true
            self.gossipTask?.cancel()
            for timer in self.timers { timer.cancel() }
            self.timers.removeAll()
        }
    }

    /// The height being decided and the round, as last announced to peers.
    public var status: PeerStatus { published.withLockedValue { $0 } }

    /// Calls `listener` with the height, the committed transactions' ids and the seconds the height took,
    /// after each commit (on the consensus loop).
    public func onCommit(_ listener: @escaping @Sendable (UInt64, [Digest], Double) -> Void) {
        commitListeners.withLockedValue { $0.append(listener) }
    }

    // MARK: - Heights

    /// Moves to the height after the committed one. The engine opens after the block interval (at once on
    /// start-up); what peers send for this height meanwhile is kept and fed to it then.
    private func enterHeight(immediately: Bool = false) throws {
        let committed = try store.committedHeight()
        height = committed + 1
        let (validators, _) = try schedule.at(height, store: store, rules: genesis.rules)
        self.validators = validators
        driver = nil
        messages = [:]
        seen = []
        let arrived = early
        early = []
        candidates = [:]
        assemblers = [:]
        awaitingValidation = []
        for timer in timers { timer.cancel() }
        timers = []
        evidence.expire(beforeHeight: height)
        let elapsed = (NIODeadline.now() - heightStarted).nanoseconds / 1_000_000
        let wait = immediately ? 0 : max(0, configuration.blockIntervalMilliseconds - elapsed)
        heightStarted = .now()
        announce(round: 0)
        for message in arrived { received(message, from: nil) }
        let opening = height
        timers.append(
            loop.scheduleTask(in: .milliseconds(wait)) {
                guard opening == self.height, !self.stopped else { return }
                do { try self.openEngine() } catch { self.halt(error) }
            }
        )
    }

    /// This node's place in the current height's validator set; nil when it is not a validator there.
    private var ownIndex: UInt16? {
        validators.validators.firstIndex { $0.id == configuration.node }.map { UInt16($0) }
    }

    /// Opens the engine of this height (resuming from the WAL if it holds it), then feeds it what arrived
    /// while it was closed. Observers and validators outside this height's set run no engine.
    private func openEngine() throws {
        guard let signer, let own = ownIndex else { return }
        let (_, selection) = try schedule.at(height, store: store, rules: genesis.rules)
        let engine = ConsensusStateMachine(
            network: networkID,
            height: height,
            validators: validators,
            selection: selection,
            parameters: genesis.consensus,
            ownIndex: own
        )
        let (opened, actions) = try ConsensusDriver.open(engine, wal: wal, signer: signer)
        driver = opened
        announce(round: opened.engine.round)
        try perform(actions)
        for event in messages.keys.sorted().flatMap({ messages[$0] ?? [] }) { input(event) }
    }

    /// Feeds one input to the engine through the driver and carries out what it asks.
    private func input(_ event: ConsensusEvent) {
        guard !stopped, var driver else { return }
        do {
            let actions = try driver.handle(event)
            self.driver = driver
            announce(round: driver.engine.round)
            try perform(actions)
        } catch {
            halt(error)
        }
    }

    /// The WAL or the guard failed: the node can no longer promise safety, so it stops voting.
    private func halt(_ error: any Error) {
        logger.critical("consensus stopped", metadata: ["reason": "\(error)"])
        driver = nil
        stopped = true
    }

    private func perform(_ actions: [ConsensusDriver<FileConsensusWAL, FileSigningGuard>.Action]) throws {
        for action in actions {
            switch action {
            case .broadcast(let event): publish(event)
            case .scheduleTimeout(let timeout, let milliseconds):
                let task = loop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                    guard timeout.height == self.height else { return }
                    self.input(.timeout(timeout))
                }
                timers.append(task)
            case .buildBlock(let height, _): build(height: height)
            case .validateBlock(let hash): validate(hash)
            case .decide(let hash, let certificate): try decide(hash, certificate: certificate)
            case .evidence(let piece):
                if evidence.add(piece) { gossip?.publish(.evidence(piece)) }
            case .refused(let refusal):
                logger.critical("the signing guard refused a signature", metadata: ["refusal": "\(refusal)"])
            case .signedElsewhere(let record):
                reportSignedElsewhere(record, seenIn: "a peer's relayed message", everyTime: true)
            }
        }
    }

    /// Signatures by this validator's key that its guard did not make (SPEC §9, "Signatures made elsewhere").
    public var signaturesMadeElsewhere: UInt64 { elsewhere.withLockedValue { $0 } }

    /// Counts and logs one; `everyTime: false` logs only the node's first (a restored node syncing many
    /// blocks would otherwise log one line per block).
    private func reportSignedElsewhere(_ record: SigningRecord, seenIn source: String, everyTime: Bool) {
        let count = elsewhere.withLockedValue {
            $0 += 1
            return $0
        }
        guard everyTime || count == 1 else { return }
        logger.critical(
            "this validator's key signed something its signing guard did not: an older copy of this node (data/ lost or restored from a backup) or another process running with this key; the guard now refuses anything that conflicts with it. If another copy runs, stop it",
            metadata: [
                "height": "\(record.height)", "round": "\(record.round)", "step": "\(record.step)",
                "seen_in": "\(source)",
            ]
        )
    }

    /// Keeps an own proposal or vote for re-offering and sends it; a proposal goes with its block's parts.
    private func publish(_ event: ConsensusEvent) {
        keep(event)
        switch event {
        case .proposal(let signed):
            gossip?.publish(.proposal(signed))
            if let block = candidates[signed.proposal.blockHash]?.block {
                for part in BlockPart.split(block, blockHash: signed.proposal.blockHash, round: signed.proposal.round) {
                    gossip?.publish(.blockPart(part))
                }
            }
        case .vote(let signed): gossip?.publish(.vote(signed))
        default: break
        }
    }

    private func keep(_ event: ConsensusEvent) {
        let round: UInt32
        switch event {
        case .proposal(let signed): round = signed.proposal.round
        case .vote(let signed): round = signed.vote.round
        default: return
        }
        messages[round, default: []].append(event)
    }

    private func announce(round: UInt32) {
        let status = PeerStatus(height: height, round: round)
        let changed = published.withLockedValue { old -> Bool in
            defer { old = status }
            return old != status
        }
        if changed { network?.broadcast(.status(status)) }
    }

    // MARK: - Blocks

    /// L11: builds this validator's proposal from the mempool, within the genesis limits.
    private func build(height: UInt64) {
        let limits = genesis.consensus
        let transactions = mempool.reap(
            maximumCount: Int(limits.maximumBlockTransactions),
            maximumBytes: Int(limits.maximumBlockBytes) - 64 * 1024
        )
        let ids = transactions.map { $0.id(hash: hash) }
        do {
            let parentTime = try store.block(at: height - 1)?.header.time ?? genesis.genesisTime
            let built = try store.buildNextBlock(
                transactions,
                executor: executor,
                time: max(UInt64(Date().timeIntervalSince1970), parentTime),
                proposer: configuration.node,
                lastCommit: lastCertificate,
                evidence: evidence.proposal(forHeight: height),
                verifiedIDs: mempool.verified(among: ids)
            )
            let blockHash = built.block.header.hash(hash)
            candidates[blockHash] = Candidate(
                block: built.block,
                execution: (built.results, built.state),
                checked: true
            )
            input(.blockBuilt(blockHash))
        } catch {
            logger.error("could not build a block", metadata: ["height": "\(height)", "reason": "\(error)"])
        }
    }

    /// Answers the engine's validity question once the block is here (its parts may still be arriving).
    private func validate(_ blockHash: Digest) {
        guard var candidate = candidates[blockHash] else {
            awaitingValidation.insert(blockHash)
            return
        }
        if !candidate.checked {
            candidate.execution = check(candidate.block)
            candidate.checked = true
            candidates[blockHash] = candidate
        }
        input(.blockValidated(blockHash, valid: candidate.execution != nil))
    }

    /// SPEC §4 "Valid": the block names a proposer the round schedule allows, its time is at most a minute
    /// ahead of this node's clock, and it is exactly the block this node builds from its inputs
    /// (`RocksDBLedgerStore.execute`: last commit verified, time not going back, whole block compared).
    ///
    /// The proposer named must be proposer(h, r) for some round r up to the latest round in which this node
    /// holds a proposal of the block. A block is first proposed fresh by the proposer of its round and may be
    /// proposed again later with its POL (SPEC §4, L28), so the exact round is not known here; this bound is
    /// the same for every honest node once it holds the same proposals, never refuses an honest block, and
    /// leaves a lying proposer of round r only the names of the proposers of rounds 0…r of this height.
    private func check(_ block: Block) -> (results: [TransactionResult], state: PreparedState)? {
        do {
            let now = UInt64(Date().timeIntervalSince1970)
            guard block.header.time <= now + 60 else {
                logger.notice(
                    "proposal refused: block time ahead of the clock",
                    metadata: ["height": "\(block.header.height)"]
                )
                return nil
            }
            let (validators, selection) = try schedule.at(height, store: store, rules: genesis.rules)
            let blockHash = block.header.hash(hash)
            // Rounds past the engine's reach (SPEC §4, L55) are not counted: a signed proposal for round 2³²
            // must not cost 2³² selections. Only a proposal by its round's own proposer counts: any validator
            // can sign one for any round, and one for round r + 64 would otherwise widen the bound.
            let reach = UInt64(driver?.engine.round ?? 0) + UInt64(ConsensusStateMachine.maximumRoundsAhead)
            let latestRound = messages.flatMap { _, events in
                events.compactMap { event -> UInt32? in
                    guard case .proposal(let signed) = event, signed.proposal.blockHash == blockHash,
                        UInt64(signed.proposal.round) <= reach,
                        Int(signed.proposal.proposerIndex) == selection.proposer(round: signed.proposal.round)
                    else { return nil }
                    return signed.proposal.round
                }
            }.max()
            let named = validators.validators.firstIndex { $0.id == block.header.proposer }
            let allowed =
                if let latestRound, let named {
                    selection.isProposer(named, inRoundsThrough: latestRound)
                } else { false }
            guard allowed else {
                logger.notice(
                    "proposal refused: it names a proposer the round schedule does not allow",
                    metadata: ["height": "\(block.header.height)", "proposer": "\(block.header.proposer)"]
                )
                return nil
            }
            let ids = block.transactions.map { $0.id(hash: hash) }
            return try store.execute(block, executor: executor, verifiedIDs: mempool.verified(among: ids))
        } catch {
            logger.notice("proposal refused", metadata: ["height": "\(block.header.height)", "reason": "\(error)"])
            return nil
        }
    }

    /// L49: commits the decided block with its certificate, then opens the next height.
    private func decide(_ blockHash: Digest, certificate: CommitCertificate) throws {
        guard let candidate = candidates[blockHash], let execution = candidate.execution else {
            logger.critical("decided a block this node does not hold", metadata: ["block": "\(blockHash.hex)"])
            return
        }
        try store.commit(candidate.block, certificate: certificate, results: execution.results, state: execution.state)
        committed(candidate.block, certificate: certificate)
        try enterHeight()
    }

    /// After any commit (decided here or synced): certificate, mempool, evidence, listeners.
    private func committed(_ block: Block, certificate: CommitCertificate) {
        lastCommitted.withLockedValue { $0 = block.header.height }
        lastCertificate = certificate
        let ids = block.transactions.map { $0.id(hash: hash) }
        do { try mempool.update(committed: ids, state: store.state(at: block.header.height)) } catch {
            logger.error(
                "the mempool re-check could not read the committed state; those transactions stay pending",
                metadata: ["height": "\(block.header.height)", "error": "\(error)"]
            )
        }
        evidence.committed(block.evidence)
        let seconds = Double((NIODeadline.now() - heightStarted).nanoseconds) / 1e9
        for listener in commitListeners.withLockedValue({ $0 }) {
            listener(block.header.height, ids, seconds)
        }
    }

    // MARK: - From peers

    /// A proposal, vote, block part, evidence or status from a peer (nil: kept from before this height
    /// opened); verified here, on the loop.
    func received(_ message: WireMessage, from peer: OrgID?) {
        guard !stopped else { return }
        if Self.height(of: message) == height + 1 {
            if early.count < Self.maximumEarly { early.append(message) }
            return
        }
        switch message {
        case .proposal, .vote, .blockPart:
            guard seen.insert(SHA256().hash(message.canonicalBytes)).inserted else { return }
        default: break
        }
        switch message {
        case .proposal(let signed):
            guard signed.proposal.height == height, verify(signed, index: signed.proposal.proposerIndex) else { return }
            keep(.proposal(signed))
            if driver != nil { input(.proposal(signed)) }
        case .vote(let signed):
            guard signed.vote.height == height, verify(signed, index: signed.vote.validatorIndex) else { return }
            keep(.vote(signed))
            if driver != nil { input(.vote(signed)) }
        case .blockPart(let part): receive(part)
        case .evidence(let piece): receive(piece)
        case .status(let status): if let peer { peerStatus[peer] = status }
        default: break
        }
    }

    private static func height(of message: WireMessage) -> UInt64? {
        switch message {
        case .proposal(let signed): return signed.proposal.height
        case .vote(let signed): return signed.vote.height
        case .blockPart(let part): return part.height
        default: return nil
        }
    }

    private func verify<Message: SignableMessage>(_ signed: Signed<Message>, index: UInt16) -> Bool {
        guard Int(index) < validators.validators.count,
            // try?: a key that does not decode signed nothing.
            let key = try? genesis.suite.suite.publicKey(encoded: validators.validators[Int(index)].consensusKey)
        else { return false }
        return signed.isSigned(by: key, network: networkID, suite: genesis.suite.suite)
    }

    /// Parts are kept only for blocks a proposal of this height names, so a peer cannot make the node buffer
    /// blocks nobody proposed.
    private func receive(_ part: BlockPart) {
        guard part.height == height, candidates[part.blockHash] == nil, proposed(part.blockHash) else { return }
        var assembler =
            assemblers[part.blockHash]
            ?? BlockAssembler(
                blockHash: part.blockHash,
                maximumBlockBytes: Int(genesis.consensus.maximumBlockBytes),
                hash: hash
            )
        do {
            if let block = try assembler.add(part) {
                assemblers[part.blockHash] = nil
                candidates[part.blockHash] = Candidate(block: block)
                if awaitingValidation.remove(part.blockHash) != nil { validate(part.blockHash) }
            } else {
                assemblers[part.blockHash] = assembler
            }
        } catch {
            assemblers[part.blockHash] = nil
            logger.notice("block part refused", metadata: ["reason": "\(error)"])
        }
    }

    private func proposed(_ blockHash: Digest) -> Bool {
        messages.values.contains { events in
            events.contains {
                if case .proposal(let signed) = $0 { signed.proposal.blockHash == blockHash } else { false }
            }
        }
    }

    private func receive(_ piece: Equivocation) {
        guard !evidence.holds(piece), piece.height <= height else { return }
        do {
            let set = try store.validatorSet(
                at: genesis.rules.validatorSetVersion(forHeight: piece.height),
                rules: genesis.rules
            )
            try piece.verify(network: networkID, validators: set, suite: genesis.suite.suite)
            evidence.add(piece)
        } catch {
            logger.notice("evidence refused", metadata: ["reason": "\(error)"])
        }
    }

    // MARK: - Block sync

    public func committedHeight() -> UInt64 { lastCommitted.withLockedValue { $0 } }

    /// A block this node cannot read is not served — the asking peer's request times out and goes to another
    /// peer — and the failure is logged.
    public func committedBlock(at height: UInt64) -> (block: Block, certificate: CommitCertificate)? {
        do {
            guard let block = try store.block(at: height), let certificate = try store.certificate(at: height) else {
                return nil
            }
            return (block, certificate)
        } catch {
            logger.error("cannot read a block to serve", metadata: ["height": "\(height)", "reason": "\(error)"])
            return nil
        }
    }

    /// Commits a block block sync fetched (certificate already checked by the store), ending this height
    /// if it is the one being decided (SPEC §11). Already-committed heights are accepted as is.
    public func commitSynced(_ block: Block, certificate: CommitCertificate) throws(SyncRefusal) {
        let work = loop.submit { () -> Result<Void, SyncRefusal> in
            do throws(LedgerStoreError) {
                guard block.header.height > (try self.store.committedHeight()) else { return .success(()) }
                try self.store.commitSynced(block, certificate: certificate, executor: self.executor)
            } catch {
                return .failure(error.isLocalFailure ? .local(error.description) : SyncRefusal(error.description))
            }
            let blockHash = block.header.hash(self.hash)
            if block.header.height == self.height {
                self.adoptSignedElsewhere(certificate)
                self.input(.blockCommitted(blockHash))
            }
            self.committed(block, certificate: certificate)
            do { try self.enterHeight() } catch {
                self.logger.critical("could not open the next height", metadata: ["reason": "\(error)"])
            }
            return .success(())
        }
        let outcome: Result<Void, SyncRefusal>
        do { outcome = try work.wait() } catch { throw .local("the consensus loop is gone: \(error)") }
        try outcome.get()
    }

    /// A synced block's certificate may hold this validator's precommit, made by an older copy of it: the
    /// guard adopts it (SPEC §9), and the node reports it. Heights below this one carry no validator set
    /// here, so only the certificate of the height being decided is read.
    private func adoptSignedElsewhere(_ certificate: CommitCertificate) {
        guard let signer, let own = ownIndex,
            let mine = certificate.signatures.first(where: { $0.validatorIndex == own })
        else { return }
        let record = SigningRecord(
            height: certificate.height,
            round: certificate.round,
            step: .precommit,
            blockHash: certificate.blockHash,
            signature: mine.signature
        )
        do {
            if try signer.adopt(record) {
                reportSignedElsewhere(record, seenIn: "a commit certificate", everyTime: false)
            }
        } catch {
            halt(error)
        }
    }

    // MARK: - Gossip re-offering (SPEC §11)

    /// To each peer at this height, the proposals and votes of its round, the round before, this node's
    /// round, and the prevotes of the POL rounds their proposals cite — sent again whenever the peer's
    /// status has not moved for a second, since nothing tells this node what the peer already holds. A
    /// proposal's block parts go too when the peer is stuck in that round. Peers at a lower height are told
    /// this node's status, which starts their block sync.
    private func reoffer() {
        guard let network else { return }
        let round = driver?.engine.round ?? 0
        let now = NIODeadline.now()
        for peer in network.peers {
            guard let status = peerStatus[peer.node] else { continue }
            if status.height < height {
                peer.send(.status(PeerStatus(height: height, round: round)))
                continue
            }
            guard status.height == height else { continue }
            if let last = offered[peer.node], last.status == status, now - last.at < .seconds(1) { continue }
            let stuck = offered[peer.node]?.status == status
            offered[peer.node] = (status, now)
            var rounds: Set<UInt32> = [status.round, round]
            if status.round > 0 { rounds.insert(status.round - 1) }
            var polRounds: Set<UInt32> = []
            for round in rounds {
                for case .proposal(let signed) in messages[round] ?? [] where signed.proposal.polRound >= 0 {
                    polRounds.insert(UInt32(signed.proposal.polRound))
                }
            }
            for offeredRound in rounds.union(polRounds).sorted() {
                for event in messages[offeredRound] ?? [] {
                    switch event {
                    case .proposal(let signed) where rounds.contains(offeredRound):
                        peer.send(.proposal(signed))
                        if stuck, let block = candidates[signed.proposal.blockHash]?.block {
                            for part in BlockPart.split(
                                block,
                                blockHash: signed.proposal.blockHash,
                                round: signed.proposal.round
                            ) {
                                peer.send(.blockPart(part))
                            }
                        }
                    case .vote(let signed) where rounds.contains(offeredRound) || signed.vote.type == .prevote:
                        peer.send(.vote(signed))
                    default: break
                    }
                }
            }
        }
        // Status also serves as a keepalive of progress for peers deciding whether to sync.
        network.broadcast(.status(PeerStatus(height: height, round: round)))
    }
}
