import LedgerCore
import LedgerCrypto

/// What went wrong driving the engine: the node stops, since it can no longer promise safety.
public enum ConsensusDriverError: Error, Sendable, CustomStringConvertible {
    case wal(ConsensusWALError)
    case signing(SigningGuardError)

    public var description: String {
        switch self {
        case .wal(let error): return error.description
        case .signing(let error): return error.description
        }
    }
}

/// Runs one height's engine between the write-ahead log and the signing guard (SPEC §9, §10): every input is
/// logged before the engine sees it; every message the engine wants sent is signed by the guard, logged, fed
/// back to the engine as an input, and handed to the network. Pure apart from its two edges, which are
/// protocols; the node supplies the file-backed ones, tests the in-memory twins.
public struct ConsensusDriver<WAL: ConsensusWAL, Signer: ConsensusSigner> {
    /// What the node must do.
    public enum Action: Equatable, Sendable {
        /// Send to every peer (and keep for gossip).
        case broadcast(ConsensusEvent)
        case scheduleTimeout(ConsensusTimeout, milliseconds: UInt32)
        /// Build a block; answer with `blockBuilt`.
        case buildBlock(height: UInt64, round: UInt32)
        /// Validate a block; answer with `blockValidated`.
        case validateBlock(Digest)
        /// Commit this block with its certificate, then open the next height.
        case decide(blockHash: Digest, certificate: CommitCertificate)
        case evidence(Equivocation)
        /// The guard refused to sign what the engine asked for: nothing was sent. Never expected of a
        /// correct engine with an intact log and guard; the node reports it loudly.
        case refused(SigningRefusal)
        /// A peer relayed a proposal or vote by this validator's key that its guard did not make; the guard
        /// has adopted it (SPEC §9). Some other copy of this validator signed: the node reports it loudly.
        case signedElsewhere(SigningRecord)
    }

    public private(set) var engine: ConsensusStateMachine
    public private(set) var wal: WAL
    public private(set) var signer: Signer

    private init(engine: ConsensusStateMachine, wal: WAL, signer: Signer) {
        self.engine = engine
        self.wal = wal
        self.signer = signer
    }

    /// Opens the engine's height: resumes from the log when it holds this height (SPEC §10), else starts
    /// the height afresh. Returns the driver and what to do now.
    public static func open(
        _ engine: ConsensusStateMachine,
        wal: WAL,
        signer: Signer
    ) throws(ConsensusDriverError) -> (Self, [Action]) {
        var driver = Self(engine: engine, wal: wal, signer: signer)
        let actions: [Action]
        if wal.height == engine.height {
            actions = try driver.resume()
        } else {
            do { try driver.wal.begin(height: engine.height) } catch { throw .wal(error) }
            actions = try driver.perform(driver.engine.start())
        }
        return (driver, actions)
    }

    /// Logs an input, then hands it to the engine. Proposals and votes arrive with their signatures verified.
    public mutating func handle(_ event: ConsensusEvent) throws(ConsensusDriverError) -> [Action] {
        let adopted = try adoptIfSignedElsewhere(event)
        do { try wal.append(event) } catch { throw .wal(error) }
        return adopted + (try perform(engine.handle(event)))
    }

    /// SPEC §9, "Signatures made elsewhere": an own proposal or vote beyond the guard's position was not
    /// signed by this guard, since everything it signs moves its position; the guard adopts it before the
    /// engine can ask for anything that conflicts.
    private mutating func adoptIfSignedElsewhere(_ event: ConsensusEvent) throws(ConsensusDriverError) -> [Action] {
        let record: SigningRecord
        switch event {
        case .proposal(let signed) where signed.proposal.proposerIndex == engine.ownIndex:
            record = SigningRecord(
                SigningRequest(signed.proposal, network: engine.network),
                signature: signed.signature
            )
        case .vote(let signed) where signed.vote.validatorIndex == engine.ownIndex:
            record = SigningRecord(SigningRequest(signed.vote, network: engine.network), signature: signed.signature)
        default: return []
        }
        do { return try signer.adopt(record) ? [.signedElsewhere(record)] : [] } catch { throw .signing(error) }
    }

    private mutating func perform(_ effects: [ConsensusEffect]) throws(ConsensusDriverError) -> [Action] {
        var actions: [Action] = []
        for effect in effects {
            switch effect {
            case .broadcastProposal(let proposal):
                actions += try send(SigningRequest(proposal, network: engine.network)) {
                    .proposal(SignedProposal(proposal: proposal, signature: $0))
                }
            case .broadcastVote(let vote):
                actions += try send(SigningRequest(vote, network: engine.network)) {
                    .vote(SignedVote(vote: vote, signature: $0))
                }
            case .buildBlock(let height, let round): actions.append(.buildBlock(height: height, round: round))
            case .scheduleTimeout(let timeout, let milliseconds):
                actions.append(.scheduleTimeout(timeout, milliseconds: milliseconds))
            case .validateBlock(let hash): actions.append(.validateBlock(hash))
            case .decide(let hash, let certificate): actions.append(.decide(blockHash: hash, certificate: certificate))
            case .evidence(let equivocation): actions.append(.evidence(equivocation))
            }
        }
        return actions
    }

    /// Signs through the guard, then treats the signed message as an input: logged, handled, broadcast.
    private mutating func send(
        _ request: SigningRequest,
        _ message: (Signature) -> ConsensusEvent
    ) throws(ConsensusDriverError) -> [Action] {
        let signature: Signature
        do { signature = try signer.sign(request) } catch {
            if case .refused(let refusal) = error { return [.refused(refusal)] }
            throw .signing(error)
        }
        let event = message(signature)
        return [.broadcast(event)] + (try handle(event))
    }

    /// SPEC §10: replays the logged inputs through a fresh engine, which being deterministic reaches the
    /// state it had and re-derives what it did. Only what the log shows was not finished is done again:
    /// messages derived but not yet logged (the guard returns the stored signature for the last one, and
    /// signs later ones afresh), unanswered validations and block builds, this round's timers, and the
    /// decision. Own logged messages are broadcast again, since the network layer lost them too.
    private mutating func resume() throws(ConsensusDriverError) -> [Action] {
        let logged: [ConsensusEvent]
        do { logged = try wal.events(height: engine.height) } catch { throw .wal(error) }
        var derived = engine.start()
        for event in logged { derived += engine.handle(event) }

        let own = engine.ownIndex
        var actions: [Action] = []
        var signedProposals: Set<Proposal> = []
        var signedVotes: Set<Vote> = []
        var answered: Set<Digest> = []
        for event in logged {
            switch event {
            case .proposal(let signed) where signed.proposal.proposerIndex == own:
                signedProposals.insert(signed.proposal)
                actions.append(.broadcast(event))
            case .vote(let signed) where signed.vote.validatorIndex == own:
                signedVotes.insert(signed.vote)
                actions.append(.broadcast(event))
            case .blockValidated(let hash, _): answered.insert(hash)
            default: break
            }
        }
        var unfinished: [ConsensusEffect] = []
        var timers: Set<ConsensusTimeout> = []
        for effect in derived {
            switch effect {
            case .broadcastProposal(let proposal) where !signedProposals.contains(proposal): unfinished.append(effect)
            case .broadcastVote(let vote) where !signedVotes.contains(vote): unfinished.append(effect)
            case .validateBlock(let hash) where !answered.contains(hash): unfinished.append(effect)
            case .scheduleTimeout(let timeout, _) where timeout.round == engine.round:
                if timers.insert(timeout).inserted { unfinished.append(effect) }
            case .decide: unfinished.append(effect)
            default: break
            }
        }
        if engine.awaitingBlock { unfinished.append(.buildBlock(height: engine.height, round: engine.round)) }
        return actions + (try perform(unfinished))
    }
}
