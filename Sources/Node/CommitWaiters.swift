import LedgerCrypto
import NIOConcurrencyHelpers
import NIOCore

/// Clients waiting for a transaction to be committed (`POST /v1/txs?wait=N`). Each commit resumes the waiters
/// of the transactions in its block at once, so a waiting request costs one registration and one timer, not a
/// store read every few milliseconds. Thread-safe.
public final class CommitWaiters: Sendable {
    private struct Waiter {
        let continuation: CheckedContinuation<Bool, Never>
        let timeout: Scheduled<Void>

        func answer(_ committed: Bool) {
            timeout.cancel()
            continuation.resume(returning: committed)
        }
    }

    private struct Contents {
        var waiters: [Digest: [UInt64: Waiter]] = [:]
        var nextToken: UInt64 = 0
        /// Set by `releaseAll`: later waits answer at once.
        var released = false
    }

    private let contents = NIOLockedValueBox(Contents())
    private let loop: any EventLoop

    /// Timeouts run on `loop`.
    public init(loop: any EventLoop) { self.loop = loop }

    /// Waits until a commit names `id` (true) or `timeout` passes (false). `isCommitted` is asked once, after
    /// the waiter is registered, so a commit between the caller's last look and the registration is not missed.
    public func wait(for id: Digest, upTo timeout: TimeAmount, isCommitted: @Sendable () -> Bool) async -> Bool {
        let token = contents.withLockedValue { contents -> UInt64 in
            contents.nextToken += 1
            return contents.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let registered = contents.withLockedValue { contents -> Bool in
                    guard !contents.released else { return false }
                    let timeout = loop.scheduleTask(in: timeout) { self.resume(id, token, with: false) }
                    contents.waiters[id, default: [:]][token] = Waiter(continuation: continuation, timeout: timeout)
                    return true
                }
                if !registered {
                    continuation.resume(returning: isCommitted())
                } else if isCommitted() {
                    resume(id, token, with: true)
                } else if Task.isCancelled {
                    resume(id, token, with: false)
                }
            }
        } onCancel: {
            resume(id, token, with: false)
        }
    }

    /// Resumes every waiter for `ids` (a committed block's transactions).
    public func committed(_ ids: [Digest]) {
        let waiters = contents.withLockedValue { contents -> [Waiter] in
            guard !contents.waiters.isEmpty else { return [] }
            return ids.flatMap { contents.waiters.removeValue(forKey: $0)?.values.map { $0 } ?? [] }
        }
        for waiter in waiters { waiter.answer(true) }
    }

    /// Answers every waiting client "not committed", and later ones at once (the node is stopping: its timers
    /// may never fire).
    public func releaseAll() {
        let waiters = contents.withLockedValue { contents -> [Waiter] in
            defer {
                contents.waiters = [:]
                contents.released = true
            }
            return contents.waiters.values.flatMap(\.values)
        }
        for waiter in waiters { waiter.answer(false) }
    }

    /// How many clients are waiting.
    public var count: Int { contents.withLockedValue { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    private func resume(_ id: Digest, _ token: UInt64, with committed: Bool) {
        let waiter = contents.withLockedValue { contents -> Waiter? in
            guard let waiter = contents.waiters[id]?.removeValue(forKey: token) else { return nil }
            if contents.waiters[id]?.isEmpty == true { contents.waiters[id] = nil }
            return waiter
        }
        waiter?.answer(committed)
    }
}
