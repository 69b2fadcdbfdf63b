/// Reconnection delays: the first attempt at once, then exponential steps from `base` capped at `maximum`,
/// each drawn uniformly from the upper half of its step ("equal jitter"), so nodes restarted together do not
/// redial in lockstep.
public struct Backoff: Sendable {
    public let baseMilliseconds: Int64
    public let maximumMilliseconds: Int64
    /// Attempts since the last success.
    public private(set) var attempts = 0

    public init(baseMilliseconds: Int64 = 200, maximumMilliseconds: Int64 = 30_000) {
        self.baseMilliseconds = max(1, baseMilliseconds)
        self.maximumMilliseconds = max(self.baseMilliseconds, maximumMilliseconds)
    }

    /// How long to wait before the next attempt; counts that attempt.
    public mutating func delayBeforeAttempt(using generator: inout some RandomNumberGenerator) -> Int64 {
        defer { attempts += 1 }
        guard attempts > 0 else { return 0 }
        let step = min(baseMilliseconds << Int64(min(attempts - 1, 30)), maximumMilliseconds)
        return step / 2 + Int64.random(in: 0...(step - step / 2), using: &generator)
    }

    /// A connection succeeded: the next attempt (after it breaks) is immediate again.
    public mutating func reset() { attempts = 0 }
}
