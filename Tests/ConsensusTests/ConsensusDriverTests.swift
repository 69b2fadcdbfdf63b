import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// SPEC §9–§10: the driver logs every input before the engine sees it and signs only through the guard; a
/// validator restarted from its log and guard at any point reaches the state it had and signs nothing new
/// that conflicts.
struct ConsensusDriverTests {
    typealias Driver = ConsensusDriver<InMemoryConsensusWAL, InMemorySigningGuard>

    static let keys = (1...4).map { index in
        try! CryptoSuiteID.secp256k1SHA256.suite.privateKey(scalar: [UInt8](repeating: 0, count: 31) + [UInt8(index)])
    }
    static let validators = VoteSetTests.validators([1, 1, 1, 1])

    static func engine(_ index: Int) -> ConsensusStateMachine {
        ConsensusStateMachine(
            network: NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero),
            height: 1,
            validators: validators,
            selection: ProposerSelection(validators: validators),
            parameters: ConsensusParameters(),
            ownIndex: UInt16(index)
        )
    }

    /// The engine state a restart must reproduce.
    struct Position: Equatable {
        let round: UInt32
        let step: ConsensusStep
        let locked: Digest?
        let valid: Digest?
        let decision: Digest?

        init(_ engine: ConsensusStateMachine) {
            round = engine.round
            step = engine.step
            locked = engine.lockedValue
            valid = engine.validValue
            decision = engine.decision
        }
    }

    /// Validator 0 after each input it handled: its log and guard just before the input was processed
    /// (the input already logged), just after, and where its engine stood.
    struct Checkpoint {
        let walBefore: InMemoryConsensusWAL
        let walAfter: InMemoryConsensusWAL
        let signerAfter: InMemorySigningGuard
        let position: Position
    }

    /// Four drivers, ordered instant delivery, a manual clock; validator 1's first proposal is invalid so
    /// the height needs round 1 (timeouts, nil votes, a second proposer).
    static func run() throws -> (checkpoints: [Checkpoint], signed: Set<ConsensusEvent>) {
        var drivers: [Driver] = []
        var queue: [(Int, ConsensusEvent)] = []
        var timers: [(at: UInt64, node: Int, timeout: ConsensusTimeout)] = []
        var now: UInt64 = 0
        var checkpoints: [Checkpoint] = []
        var signed: Set<ConsensusEvent> = []
        var invalid: Set<Digest> = []

        func perform(_ actions: [Driver.Action], node: Int) {
            for action in actions {
                switch action {
                case .broadcast(let event):
                    if node == 0 { signed.insert(event) }
                    for peer in 0..<4 where peer != node { queue.append((peer, event)) }
                case .scheduleTimeout(let timeout, let milliseconds):
                    timers.append((now + UInt64(milliseconds), node, timeout))
                case .buildBlock(let height, let round):
                    let block = SHA256().hash(utf8: "block \(height)/\(round)")
                    if round == 0 { invalid.insert(block) }
                    queue.append((node, .blockBuilt(block)))
                case .validateBlock(let hash):
                    queue.append((node, .blockValidated(hash, valid: !invalid.contains(hash))))
                case .refused(let refusal): Issue.record("validator \(node): \(refusal)")
                case .signedElsewhere(let record): Issue.record("validator \(node): signed elsewhere \(record)")
                case .decide, .evidence: break
                }
            }
        }

        for index in 0..<4 {
            let (driver, actions) = try Driver.open(
                engine(index),
                wal: InMemoryConsensusWAL(),
                signer: InMemorySigningGuard(key: keys[index])
            )
            drivers.append(driver)
            perform(actions, node: index)
        }
        while drivers.contains(where: { $0.engine.decision == nil }) {
            let node: Int
            let event: ConsensusEvent
            if !queue.isEmpty {
                (node, event) = queue.removeFirst()
            } else if let next = timers.indices.min(by: { timers[$0].at < timers[$1].at }) {
                let timer = timers.remove(at: next)
                now = timer.at
                (node, event) = (timer.node, .timeout(timer.timeout))
            } else {
                Issue.record("the network stalled")
                break
            }
            var walBefore = drivers[node].wal
            try walBefore.append(event)
            perform(try drivers[node].handle(event), node: node)
            if node == 0 {
                checkpoints.append(
                    Checkpoint(
                        walBefore: walBefore,
                        walAfter: drivers[0].wal,
                        signerAfter: drivers[0].signer,
                        position: Position(drivers[0].engine)
                    )
                )
            }
        }
        return (checkpoints, signed)
    }

    @Test func theRunNeedsTwoRoundsAndDecides() throws {
        let (checkpoints, signed) = try Self.run()
        #expect(checkpoints.last?.position.decision != nil)
        #expect(checkpoints.last?.position.round == 1)
        #expect(
            signed.contains { if case .vote(let vote) = $0 { return vote.vote.blockHash == nil } else { return false } }
        )
    }

    /// A restart after any input, with everything it caused logged, reproduces the engine's state and
    /// re-sends only messages it had signed.
    @Test func restartAfterAnyInputResumesWhereItWas() throws {
        let (checkpoints, signed) = try Self.run()
        for (index, checkpoint) in checkpoints.enumerated() {
            let (driver, actions) = try Driver.open(
                Self.engine(0),
                wal: checkpoint.walAfter,
                signer: checkpoint.signerAfter
            )
            #expect(Position(driver.engine) == checkpoint.position, "input \(index)")
            for case .broadcast(let event) in actions {
                #expect(signed.contains(event), "input \(index): re-sent something never signed")
            }
            #expect(!actions.contains { if case .refused = $0 { return true } else { return false } })
        }
    }

    /// The crash the guard exists for: the guard signed a message and the process died before the message
    /// reached the log. The restart re-derives it, the guard hands back the stored signature, and the state
    /// is the one the live run reached.
    @Test func restartBetweenSigningAndLoggingReusesTheSignature() throws {
        let (checkpoints, signed) = try Self.run()
        var exercised = 0
        for (index, checkpoint) in checkpoints.enumerated() where checkpoint.walAfter.height == 1 {
            let before = try checkpoint.walBefore.events(height: 1).count
            let after = try checkpoint.walAfter.events(height: 1)
            // What the input caused is only own messages, each logged right after it was signed.
            guard after.count > before else { continue }
            exercised += 1
            var cut = InMemoryConsensusWAL()
            try cut.begin(height: 1)
            for event in after.dropLast() { try cut.append(event) }
            let (driver, actions) = try Driver.open(Self.engine(0), wal: cut, signer: checkpoint.signerAfter)
            #expect(Position(driver.engine) == checkpoint.position, "input \(index)")
            #expect(!actions.contains { if case .refused = $0 { return true } else { return false } }, "input \(index)")
            #expect(actions.contains(.broadcast(after[after.count - 1])), "input \(index): the lost message is re-sent")
            for case .broadcast(let event) in actions { #expect(signed.contains(event), "input \(index)") }
        }
        #expect(exercised >= 3, "the run signed after only \(exercised) inputs")
    }

    /// Without the log, the guard is what stands between a restarted validator and a double-sign.
    @Test func aValidatorThatLostItsLogIsRefusedConflictingVotes() throws {
        let (checkpoints, _) = try Self.run()
        guard let locked = checkpoints.first(where: { $0.position.step == .precommit && $0.position.round == 0 }) else {
            Issue.record("validator 0 never reached precommit in round 0")
            return
        }
        // A fresh log: the engine restarts at round 0 and times out into a nil prevote the guard must refuse.
        var (driver, _) = try Driver.open(Self.engine(0), wal: InMemoryConsensusWAL(), signer: locked.signerAfter)
        let actions = try driver.handle(.timeout(ConsensusTimeout(height: 1, round: 0, step: .propose)))
        #expect(actions.contains { if case .refused = $0 { return true } else { return false } })
        #expect(!actions.contains { if case .broadcast = $0 { return true } else { return false } })
    }

    /// A validator that lost its guard as well as its log (an empty or restored `data/`) learns its own earlier
    /// votes from the peers that relay them: the fresh guard adopts one, and then refuses what conflicts.
    @Test func aValidatorThatLostItsGuardAdoptsItsOwnVotesFromPeers() throws {
        let (_, signed) = try Self.run()
        let relayed = signed.compactMap { event -> SignedVote? in
            guard case .vote(let vote) = event, vote.vote.round == 1, vote.vote.type == .prevote else { return nil }
            return vote
        }
        let prevote = try #require(relayed.first)
        // Control: with nothing relayed, the fresh guard signs the round-0 nil prevote a propose timeout asks.
        var (control, _) = try Driver.open(
            Self.engine(0),
            wal: InMemoryConsensusWAL(),
            signer: InMemorySigningGuard(key: Self.keys[0])
        )
        let unguarded = try control.handle(.timeout(ConsensusTimeout(height: 1, round: 0, step: .propose)))
        #expect(unguarded.contains { if case .broadcast(.vote) = $0 { return true } else { return false } })

        var (driver, _) = try Driver.open(
            Self.engine(0),
            wal: InMemoryConsensusWAL(),
            signer: InMemorySigningGuard(key: Self.keys[0])
        )
        let record = SigningRecord(
            SigningRequest(prevote.vote, network: NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero)),
            signature: prevote.signature
        )
        #expect(try driver.handle(.vote(prevote)) == [.signedElsewhere(record)])
        #expect(driver.signer.last == record)
        // Relayed again, it is this guard's record now: nothing more to report.
        #expect(!(try driver.handle(.vote(prevote))).contains(.signedElsewhere(record)))
        let actions = try driver.handle(.timeout(ConsensusTimeout(height: 1, round: 0, step: .propose)))
        #expect(actions.contains { if case .refused = $0 { return true } else { return false } })
        #expect(!actions.contains { if case .broadcast = $0 { return true } else { return false } })
    }
}
