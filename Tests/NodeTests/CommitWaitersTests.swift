import LedgerCrypto
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Node
import Testing

/// Clients waiting for their transaction's commit (`POST /v1/txs?wait=N`).
struct CommitWaitersTests {
    let waiters = CommitWaiters(loop: MultiThreadedEventLoopGroup.singleton.next())
    let id = SHA256().hash(utf8: "a transaction")
    let other = SHA256().hash(utf8: "another transaction")

    /// Waits until `count` clients are registered.
    func registered(_ count: Int) async throws {
        while waiters.count < count { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func aCommitNamingTheTransactionResumesEveryWaiterForItAndNoOther() async throws {
        async let first = waiters.wait(for: id, upTo: .seconds(30)) { false }
        async let second = waiters.wait(for: id, upTo: .seconds(30)) { false }
        async let unrelated = waiters.wait(for: other, upTo: .milliseconds(300)) { false }
        try await registered(3)
        waiters.committed([SHA256().hash(utf8: "a third"), id])
        #expect(await first)
        #expect(await second)
        #expect(await unrelated == false)
        #expect(waiters.count == 0)
    }

    @Test func aTransactionAlreadyCommittedAnswersAtOnce() async {
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await waiters.wait(for: id, upTo: .seconds(30)) { true })
        #expect(clock.now - start < .seconds(10))
        #expect(waiters.count == 0)
    }

    @Test func theTimeoutAnswersFalseAndForgetsTheWaiter() async {
        #expect(await waiters.wait(for: id, upTo: .milliseconds(50)) { false } == false)
        #expect(waiters.count == 0)
        waiters.committed([id])
    }

    @Test func aStoppingNodeReleasesEveryWaiter() async throws {
        async let first = waiters.wait(for: id, upTo: .seconds(30)) { false }
        async let second = waiters.wait(for: other, upTo: .seconds(30)) { false }
        try await registered(2)
        waiters.releaseAll()
        #expect(await first == false)
        #expect(await second == false)
        #expect(waiters.count == 0)
        #expect(await waiters.wait(for: id, upTo: .seconds(30)) { false } == false, "answered at once")
    }

    @Test func aCancelledClientStopsWaiting() async throws {
        let task = Task { await waiters.wait(for: id, upTo: .seconds(30)) { false } }
        try await registered(1)
        task.cancel()
        #expect(await task.value == false)
        #expect(waiters.count == 0)
    }
}
