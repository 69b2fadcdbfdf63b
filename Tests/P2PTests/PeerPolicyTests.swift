import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

@testable import P2P

/// The pure policies under the peer set: send queues, reconnection delays, the gossip seen-set, addresses.
struct PeerPolicyTests {
    @Test func sendQueueBoundsEachClassAndSendsConsensusFirst() {
        var queue = SendQueue(limitBytes: 10)
        let accepted = [
            queue.enqueue([1, 1, 1, 1], priority: .bulk),
            queue.enqueue([2, 2, 2, 2], priority: .bulk),
            queue.enqueue([3, 3, 3, 3], priority: .bulk),  // the bulk class is full
            queue.enqueue([9, 9, 9, 9, 9, 9], priority: .consensus),  // classes are bounded separately
        ]
        #expect(accepted == [true, true, false, true])
        #expect(queue.dropped == 1)
        var order = [queue.dequeue(), queue.dequeue()]
        let roomAgain = queue.enqueue([3, 3, 3, 3], priority: .bulk)
        order += [queue.dequeue(), queue.dequeue(), queue.dequeue()]
        #expect(roomAgain)
        #expect(order == [[9, 9, 9, 9, 9, 9], [1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], nil])
        #expect(queue.isEmpty && queue.bulkBytes == 0 && queue.consensusBytes == 0)
        // Long runs keep order and accounting.
        var out: [[UInt8]?] = []
        for round in 0..<1_000 {
            _ = queue.enqueue([UInt8(round % 256)], priority: .bulk)
            if round % 2 == 1 { out += [queue.dequeue(), queue.dequeue()] }
        }
        #expect(out == (0..<1_000).map { [UInt8($0 % 256)] })
        #expect(queue.count == 0 && queue.bulkBytes == 0)
    }

    @Test func backoffStartsAtOnceThenGrowsWithJitterUpToItsCap() {
        var generator = SeededGenerator(seed: 3)
        var backoff = Backoff(baseMilliseconds: 100, maximumMilliseconds: 1_000)
        let first = backoff.delayBeforeAttempt(using: &generator)
        #expect(first == 0)
        for (attempt, step) in [100, 200, 400, 800, 1_000, 1_000, 1_000].enumerated() {
            let delay = backoff.delayBeforeAttempt(using: &generator)
            #expect(delay >= Int64(step / 2) && delay <= Int64(step), "attempt \(attempt + 2): \(delay) ms")
        }
        backoff.reset()
        let afterReset = backoff.delayBeforeAttempt(using: &generator)
        #expect(afterReset == 0)
        // Jitter: nodes starting together spread out.
        let delays = Set(
            (0..<20).map { seed -> Int64 in
                var generator = SeededGenerator(seed: UInt64(seed))
                var backoff = Backoff(baseMilliseconds: 1_000, maximumMilliseconds: 30_000)
                _ = backoff.delayBeforeAttempt(using: &generator)
                return backoff.delayBeforeAttempt(using: &generator)
            }
        )
        #expect(delays.count > 10)
    }

    @Test func silenceIsCountedOnlyWhileThisNodeIsAwake() {
        /// Ticks at each time (ms); shows the silence counted after each tick, and whether it closed.
        func ticks(_ watch: inout SilenceWatch, at times: [Int64]) -> [String] {
            times.map { time in
                let closed = watch.tick(now: time * 1_000_000)
                return "\(watch.silentMilliseconds)\(closed ? " closed" : "")"
            }
        }
        func fresh(at start: Int64 = 0) -> SilenceWatch {
            SilenceWatch(intervalMilliseconds: 300, limitMilliseconds: 1_500, now: start * 1_000_000)
        }
        // Ticks on time: a peer silent for the limit is closed at the tick that reaches it, not before.
        var watch = fresh()
        #expect(ticks(&watch, at: [300, 600, 900, 1_200, 1_500]) == ["300", "600", "900", "1200", "1500 closed"])
        // Hearing the peer starts the count again from that moment.
        watch = fresh()
        _ = ticks(&watch, at: [1_200])
        watch.heard(now: 1_250 * 1_000_000)
        #expect(
            ticks(&watch, at: [1_500, 1_800, 2_100, 2_400, 2_700, 2_800])
                == ["250", "550", "850", "1150", "1450", "1550 closed"]
        )
        // A tick long after the last (this node was stalled) counts one interval, however long the gap;
        // up to two intervals apart is ordinary timer jitter and counts in full.
        watch = fresh()
        #expect(ticks(&watch, at: [2_500, 60_000, 60_600]) == ["300", "600", "1200"])
        // A node stalled before every tick still closes a silent peer, at the fifth stalled tick.
        watch = fresh()
        #expect(
            ticks(&watch, at: [10_000, 20_000, 30_000, 40_000, 50_000]) == ["300", "600", "900", "1200", "1500 closed"]
        )
        // A tick "before" the mark counts nothing rather than a negative silence.
        watch = fresh(at: 1_000)
        #expect(ticks(&watch, at: [500]) == ["0"])
    }

    @Test func seenCacheForgetsTheOldestBeyondItsCapacity() {
        var seen = SeenCache(capacity: 3)
        let digests = (0..<5).map { Digest.of("message \($0)") }
        let fresh = [0, 1, 2, 1, 3].map { seen.insert(digests[$0]) }
        #expect(fresh == [true, true, true, false, true])
        #expect(!seen.contains(digests[0]) && seen.contains(digests[3]) && seen.count == 3)
        let again = seen.insert(digests[0])
        #expect(again, "forgotten, so new again")
    }

    @Test func addressesAreHostAndPort() {
        #expect(PeerNetwork.split("127.0.0.1:26656")! == ("127.0.0.1", 26656))
        #expect(PeerNetwork.split("[::1]:9000")! == ("::1", 9000))
        #expect(PeerNetwork.split("node.example:1")! == ("node.example", 1))
        for bad in ["", "host", ":80", "host:0", "host:65536", "host:x"] { #expect(PeerNetwork.split(bad) == nil) }
    }

    @Test func memberNodesAreValidatorsAndObservers() {
        let fixture = LedgerFixture()
        let court = Member(
            id: OrgID("COURT-1")!,
            name: "Court",
            roles: RoleSet([.auditor]),
            accountKeys: [],
            validator: nil,
            observerNode: ObserverNode(tlsKeyPin: .of("court"))
        )
        let nodes = PeerIdentity.nodes(of: fixture.genesis.members + [court])
        #expect(nodes.map(\.node.value).sorted() == ["330000", "440000", "510000", "COURT-1"])
        #expect(nodes.first { $0.node.value == "COURT-1" }?.address == nil)
        #expect(nodes.first { $0.node == LedgerFixture.guangdong }?.keyPin == .of("tls 440000"))
    }
}
