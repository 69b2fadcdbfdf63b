import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import NIOConcurrencyHelpers
import Node
import Testing

/// The mempool's admission, limits, fairness and re-check after commit (`docs/node.md`, "Mempool").
struct MempoolTests {
    var fixture = LedgerFixture()
    var guangdong: PrivateKey { fixture.keys[LedgerFixture.guangdong]! }
    var charity: PrivateKey { fixture.keys[LedgerFixture.charity]! }

    func code(_ result: Result<Digest, MempoolRefusal>) -> String? {
        if case .failure(let refusal) = result { return refusal.code }
        return nil
    }

    @Test mutating func admitsWhatAMemberMaySendAndRefusesTheRest() {
        let pool = Mempool(executor: fixture.executor)
        let first = fixture.sign(Payloads.anchor("a"), key: guangdong, sequence: 0)
        let second = fixture.sign(Payloads.anchor("b"), key: guangdong, sequence: 1)
        let reused = fixture.sign(Payloads.anchor("c"), key: guangdong, sequence: 0)
        let otherChain = fixture.sign(Payloads.anchor("d"), key: charity, sequence: 0, chain: "civic-other")
        let wrongRole = fixture.sign(Payloads.anchor("e"), key: charity, sequence: 0)
        let stranger = fixture.sign(
            Payloads.anchor("f"),
            key: LedgerFixture.key("nobody", suite: fixture.suite),
            sequence: 0
        )
        let results = pool.add([first, second, first, reused, otherChain, wrongRole, stranger], state: fixture.state)
        #expect(
            results.map(code) == [
                nil, nil, "duplicate", "bad_sequence", "wrong_chain", "role_not_allowed", "unknown_account",
            ]
        )
        #expect(pool.count == 2)
        // Sequence 2 continues the pending chain, but the signature is another transaction's.
        let next = Transaction(
            chainID: first.transaction.chainID,
            sender: first.transaction.sender,
            sequence: 2,
            payload: Payloads.anchor("g")
        )
        let forged = SignedTransaction(transaction: next, signature: second.signature)
        #expect(pool.add([forged], state: fixture.state).map(code) == ["bad_signature"])
    }

    /// Gossip over a mesh can deliver a sender's transactions out of order (a relayed copy overtaking the
    /// direct one): one ahead of the chain waits, fully checked, and joins it once the gap fills. Found by the
    /// network benchmark: nodes refused 22,295 such transactions as bad_sequence and, the gossip copies being
    /// marked seen, never got them again.
    @Test mutating func aTransactionAheadWaitsUntilTheGapFills() {
        let pool = Mempool(executor: fixture.executor)
        let a = (0..<4).map { fixture.sign(Payloads.anchor("w\($0)"), key: guangdong, sequence: UInt64($0)) }
        #expect(pool.add([a[2], a[1], a[3]], state: fixture.state).map(code) == [nil, nil, nil])
        #expect(pool.count == 3)
        #expect(pool.reap(maximumCount: 10, maximumBytes: 1 << 20).isEmpty)
        #expect(pool.nextSequence(after: a[0].transaction.sender) == nil)
        #expect(pool.add([a[2]], state: fixture.state).map(code) == ["duplicate"])
        let rival = fixture.sign(Payloads.anchor("w2-rival"), key: guangdong, sequence: 2)
        #expect(pool.add([rival], state: fixture.state).map(code) == ["bad_sequence"])
        #expect(pool.add([a[0]], state: fixture.state).map(code) == [nil])
        #expect(pool.reap(maximumCount: 10, maximumBytes: 1 << 20) == a)
        #expect(pool.nextSequence(after: a[0].transaction.sender) == 4)
        // Waiting ones are checked in full: a bad signature or a stranger is refused, not held.
        let forged = SignedTransaction(
            transaction: Transaction(
                chainID: a[0].transaction.chainID,
                sender: a[0].transaction.sender,
                sequence: 9,
                payload: Payloads.anchor("w9")
            ),
            signature: a[1].signature
        )
        #expect(pool.add([forged], state: fixture.state).map(code) == ["bad_signature"])
    }

    /// A commit made elsewhere can fill the gap: the waiting transaction becomes next; one the commit made
    /// stale leaves with bad_sequence.
    @Test mutating func commitsPromoteOrDropWaitingTransactions() throws {
        let pool = Mempool(executor: fixture.executor)
        let a = (0..<3).map { fixture.sign(Payloads.anchor("p\($0)"), key: guangdong, sequence: UInt64($0)) }
        let zhejiang = fixture.keys[LedgerFixture.zhejiang]!
        let z = (0..<2).map {
            fixture.sign(
                Payloads.anchor("pz\($0)", issuer: LedgerFixture.zhejiang),
                key: zhejiang,
                sequence: UInt64($0)
            )
        }
        #expect(pool.add([a[1], a[2], z[1]], state: fixture.state).map(code) == [nil, nil, nil])
        let zElsewhere = (0..<2).map {
            fixture.sign(
                Payloads.anchor("pz-elsewhere\($0)", issuer: LedgerFixture.zhejiang),
                key: zhejiang,
                sequence: UInt64($0)
            )
        }
        let hash = fixture.suite.hashFunction
        let block = [a[0]] + zElsewhere
        #expect(fixture.execute(block).allSatisfy { $0.isApplied })
        let dropped = try pool.update(committed: block.map { $0.id(hash: hash) }, state: fixture.state)
        #expect(dropped == ["bad_sequence": 1])
        #expect(pool.count == 2)
        #expect(pool.reap(maximumCount: 10, maximumBytes: 1 << 20) == [a[1], a[2]])
    }

    /// Waiting transactions count against the sender's share, and one too far ahead is refused.
    @Test mutating func waitingTransactionsAreBounded() {
        var limits = Mempool.Limits()
        limits.maximumPerSender = 3
        let pool = Mempool(executor: fixture.executor, limits: limits)
        let a = (0...3).map { fixture.sign(Payloads.anchor("b\($0)"), key: guangdong, sequence: UInt64($0)) }
        #expect(pool.add([a[1], a[2], a[3], a[0]], state: fixture.state).map(code) == [nil, nil, nil, "sender_quota"])
        let tooFar = fixture.sign(Payloads.anchor("too far"), key: guangdong, sequence: 40)
        let refusal = pool.add([tooFar], state: fixture.state)[0]
        #expect(code(refusal) == "bad_sequence")
        if case .failure(let reason) = refusal { #expect(reason.description.contains("more than 3 ahead")) }
    }

    @Test mutating func limitsRefuseWithTheirReason() {
        var limits = Mempool.Limits()
        limits.maximumTransactions = 3
        limits.maximumPerSender = 2
        let pool = Mempool(executor: fixture.executor, limits: limits)
        let fromGuangdong = (0..<3).map {
            fixture.sign(Payloads.anchor("q\($0)"), key: guangdong, sequence: UInt64($0))
        }
        let zhejiang = fixture.keys[LedgerFixture.zhejiang]!
        let fromZhejiang = (0..<2).map {
            fixture.sign(Payloads.anchor("z\($0)", issuer: LedgerFixture.zhejiang), key: zhejiang, sequence: UInt64($0))
        }
        let results = pool.add(fromGuangdong + fromZhejiang, state: fixture.state)
        #expect(results.map(code) == [nil, nil, "sender_quota", nil, "mempool_full"])
        if case .failure(let refusal) = results[4] { #expect(refusal.description.contains("the mempool is full")) }
    }

    /// Blocks take one transaction from each sender in turn, each sender's in sequence order.
    @Test mutating func reapingIsFairAndKeepsSequenceOrder() {
        let pool = Mempool(executor: fixture.executor)
        let zhejiang = fixture.keys[LedgerFixture.zhejiang]!
        let a = (0..<5).map { fixture.sign(Payloads.anchor("a\($0)"), key: guangdong, sequence: UInt64($0)) }
        let b = (0..<2).map {
            fixture.sign(Payloads.anchor("b\($0)", issuer: LedgerFixture.zhejiang), key: zhejiang, sequence: UInt64($0))
        }
        _ = pool.add(a, state: fixture.state)
        _ = pool.add(b, state: fixture.state)
        #expect(pool.reap(maximumCount: 5, maximumBytes: 1 << 20) == [a[0], b[0], a[1], b[1], a[2]])
        #expect(pool.reap(maximumCount: 100, maximumBytes: 1 << 20).count == 7)
        let size = a[0].canonicalBytes.count
        #expect(pool.reap(maximumCount: 100, maximumBytes: size * 2 + 1) == [a[0], b[0]])
    }

    /// After a commit: committed ones leave and cannot come back; the rest are checked against the new state.
    @Test mutating func commitsRemoveAndRecheck() throws {
        let pool = Mempool(executor: fixture.executor)
        let zhejiang = fixture.keys[LedgerFixture.zhejiang]!
        let a = (0..<3).map { fixture.sign(Payloads.anchor("a\($0)"), key: guangdong, sequence: UInt64($0)) }
        let b = (0..<2).map {
            fixture.sign(Payloads.anchor("b\($0)", issuer: LedgerFixture.zhejiang), key: zhejiang, sequence: UInt64($0))
        }
        _ = pool.add(a + b, state: fixture.state)
        // Block: a0, and another transaction of Zhejiang's with sequence 0 (sent to another node): b0 and b1
        // can no longer apply in this order — b0 is stale; b1 continues from the new state.
        let elsewhere = fixture.sign(
            Payloads.anchor("z-elsewhere", issuer: LedgerFixture.zhejiang),
            key: zhejiang,
            sequence: 0
        )
        let hash = fixture.suite.hashFunction
        let results = fixture.execute([a[0], elsewhere])
        #expect(results.allSatisfy { $0.isApplied })
        let dropped = try pool.update(committed: [a[0].id(hash: hash), elsewhere.id(hash: hash)], state: fixture.state)
        #expect(dropped == ["bad_sequence": 1])
        #expect(pool.count == 3)
        #expect(pool.reap(maximumCount: 10, maximumBytes: 1 << 20) == [a[1], b[1], a[2]])
        #expect(pool.add([a[0]], state: fixture.state).map(code) == ["duplicate"])
        // The next transaction continues the pending chain.
        let a3 = fixture.sign(Payloads.anchor("a3"), key: guangdong, sequence: 3)
        #expect(pool.add([a3], state: fixture.state).map(code) == [nil])
        #expect(pool.bytes == [a[1], b[1], a[2], a3].reduce(0) { $0 + $1.canonicalBytes.count })
    }

    /// Issue 16, finding 6: junk — well-formed transactions from a key that is no member's, with random
    /// signatures, free to make — is refused before any signature is verified, as is a member's transaction
    /// outside its sequence window; only transactions that pass every other check cost a verification. Before,
    /// every signature of a batch was verified first.
    @Test mutating func junkIsRefusedBeforeAnySignatureIsVerified() throws {
        let pool = Mempool(executor: fixture.executor)
        let stranger = LedgerFixture.key("stranger", suite: fixture.suite)
        var random = SeededGenerator(seed: 4)
        let junk = try (0..<1_000).map { index in
            SignedTransaction(
                transaction: fixture.sign(Payloads.anchor("j\(index)"), key: stranger, sequence: UInt64(index))
                    .transaction,
                signature: try Signature(bytes: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) })
            )
        }
        #expect(pool.add(junk, state: fixture.state).allSatisfy { code($0) == "unknown_account" })
        let farAhead = fixture.sign(Payloads.anchor("far"), key: guangdong, sequence: 1_000_000)
        #expect(pool.add([farAhead], state: fixture.state).map(code) == ["bad_sequence"])
        let elsewhere = SignedTransaction(
            transaction: Transaction(
                chainID: ChainID("another-network")!,
                sender: guangdong.publicKey.bytes,
                sequence: 0,
                payload: Payloads.anchor("elsewhere")
            ),
            signature: junk[0].signature
        )
        #expect(pool.add([elsewhere], state: fixture.state).map(code) == ["wrong_chain"])
        #expect(pool.signaturesVerified == 0)
        // A member's transaction in its window is verified, and a forged one refused for its signature.
        let good = fixture.sign(Payloads.anchor("good"), key: guangdong, sequence: 0)
        let forged = SignedTransaction(
            transaction: fixture.sign(Payloads.anchor("forged"), key: guangdong, sequence: 1).transaction,
            signature: good.signature
        )
        #expect(pool.add([good, forged], state: fixture.state).map(code) == [nil, "bad_signature"])
        #expect(pool.signaturesVerified == 2)
    }

    /// A state that cannot be read says nothing about a transaction (issue 16): admission refuses with
    /// `ledger_unreadable` (a retry), and the re-check after a commit keeps the pending ones and says it could
    /// not look. Before, admission answered `unknown_account` and the re-check dropped every pending
    /// transaction as `unknown_account`.
    @Test mutating func anUnreadableStateRefusesNothingForGood() throws {
        let pool = Mempool(executor: fixture.executor)
        let a = (0..<3).map { fixture.sign(Payloads.anchor("u\($0)"), key: guangdong, sequence: UInt64($0)) }
        #expect(pool.add(a, state: fixture.state).map(code) == [nil, nil, nil])
        let next = fixture.sign(Payloads.anchor("u3"), key: guangdong, sequence: 3)
        let other = fixture.sign(Payloads.anchor("u-other"), key: charity, sequence: 0)
        #expect(
            pool.add([next, other], state: UnreadableState()).map(code) == ["ledger_unreadable", "ledger_unreadable"]
        )

        #expect(fixture.execute([a[0]]).allSatisfy { $0.isApplied })
        let hash = fixture.suite.hashFunction
        #expect(throws: Mempool.RecheckFailure.self) {
            try pool.update(committed: [a[0].id(hash: hash)], state: UnreadableState())
        }
        #expect(pool.count == 2)
        #expect(pool.reap(maximumCount: 10, maximumBytes: 1 << 20) == [a[1], a[2]])
        // Readable again: the re-check runs as usual.
        #expect(try pool.update(committed: [], state: fixture.state) == [:])
        #expect(pool.count == 2)
    }

    /// An admission that read the state just before a commit must still continue from the committed
    /// sequence (found by the network benchmark: a sender's next transactions were refused with bad_sequence).
    @Test mutating func admissionAfterACommitContinuesFromIt() throws {
        let pool = Mempool(executor: fixture.executor)
        let a = (0..<3).map { fixture.sign(Payloads.anchor("r\($0)"), key: guangdong, sequence: UInt64($0)) }
        _ = pool.add([a[0], a[1]], state: fixture.state)
        let before = fixture.state
        #expect(fixture.execute([a[0], a[1]]).allSatisfy { $0.isApplied })
        let hash = fixture.suite.hashFunction
        try pool.update(committed: [a[0].id(hash: hash), a[1].id(hash: hash)], state: fixture.state)
        #expect(pool.count == 0)
        #expect(pool.add([a[2]], state: before).map(code) == [nil])
        // And a sequence the commit used is still refused, whatever state the admission read.
        let reused = fixture.sign(Payloads.anchor("r-again"), key: guangdong, sequence: 1)
        #expect(pool.add([reused], state: before).map(code) == ["bad_sequence"])
    }
}

/// Admissions racing commits (as gossip and the HTTP API do against the consensus loop) never make a block
/// take one transaction twice (found by the network benchmark), and out-of-order arrivals all get committed. The admitting side reads the state from
/// before all the commits, as a request that started earlier does.
struct MempoolConcurrencyTests {
    /// Synchronous on purpose: an `await` in the loop let a loaded CI run's cooperative pool park this test
    /// past its deadline (0 committed after 184 s) while the fuzz tests held both threads.
    @Test func admissionsRacingCommitsNeverReapATransactionTwice() throws {
        var fixture = LedgerFixture()
        let key = fixture.keys[LedgerFixture.guangdong]!
        let transactions = (0..<2_000).map { fixture.sign(Payloads.anchor("c\($0)"), key: key, sequence: UInt64($0)) }
        let pool = Mempool(executor: fixture.executor)
        let stale = fixture.state
        let hash = fixture.suite.hashFunction
        // A thread of its own: on a busy machine the cooperative pool may not run a task for seconds.
        let admitted = DispatchSemaphore(value: 0)
        let admitting = NIOLockedValueBox(true)
        Thread.detachNewThread {
            // In pairs out of order, as gossip over a mesh may deliver them: 1, 0, 3, 2, …
            for pair in stride(from: 0, to: transactions.count, by: 2) {
                _ = pool.add([transactions[pair + 1]], state: stale)
                _ = pool.add([transactions[pair]], state: stale)
            }
            admitting.withLockedValue { $0 = false }
            admitted.signal()
        }
        var duplicates = 0
        var committed = 0
        let deadline = Date().addingTimeInterval(300)
        while committed < transactions.count, Date() < deadline {
            let block = pool.reap(maximumCount: 100, maximumBytes: 1 << 24)
            let ids = block.map { $0.id(hash: hash) }
            duplicates += ids.count - Set(ids).count
            if block.isEmpty {
                // Done when admission has finished and nothing is left that a block could take.
                if !admitting.withLockedValue({ $0 }), pool.reap(maximumCount: 1, maximumBytes: 1 << 24).isEmpty {
                    break
                }
                usleep(200)
                continue
            }
            let results = fixture.execute(block)
            committed += results.filter { $0.isApplied }.count
            try pool.update(committed: ids, state: fixture.state)
        }
        admitted.wait()
        #expect(duplicates == 0)
        #expect(committed == transactions.count, "\(committed) committed; \(pool.count) pending")
    }
}

/// A state whose every read fails, as a store with a failing disk.
private struct UnreadableState: StateReader {
    func value(at key: Digest) throws(StateReadError) -> [UInt8]? { throw StateReadError("disk read failed") }
}
