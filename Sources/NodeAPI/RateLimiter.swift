import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import Node

/// A token bucket per client address (`docs/api.md`, "Limits"): each client may spend `rate` tokens per
/// second on average and `burst` at once — one per request, or one per transaction submitted — and beyond
/// that gets 429 `rate_limited` with `Retry-After`. The table of clients is bounded: when it fills, buckets
/// that have refilled (idle clients) are dropped.
public final class RateLimiter: Sendable {
    /// Tokens per second per client, and the most at once.
    public struct Limits: Sendable, Equatable {
        public var rate: Double
        public var burst: Double

        public init(rate: Double, burst: Double) {
            self.rate = rate
            self.burst = burst
        }

        /// Requests: 500 per second, 1,000 at once.
        public static let standard = Limits(rate: 500, burst: 1_000)
        /// Transactions: 2,000 per second, and one whole batch (10,000) at once.
        public static let standardTransactions = Limits(rate: 2_000, burst: 10_000)
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    public let limits: Limits
    private let maximumClients: Int
    private let buckets = NIOLockedValueBox([String: Bucket]())

    public init(_ limits: Limits, maximumClients: Int = 10_000) {
        self.limits = limits
        self.maximumClients = maximumClients
    }

    /// How many clients the table holds now.
    public var clients: Int { buckets.withLockedValue { $0.count } }

    /// Takes `count` tokens for `client` at time `now` (seconds), all or none; returns the seconds to wait
    /// when there are too few. `count` above `burst` can never be taken: the caller refuses it outright.
    public func take(_ client: String, count: Double = 1, now: Double) -> Double? {
        buckets.withLockedValue { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: limits.burst, updated: now)
            bucket.tokens = min(limits.burst, bucket.tokens + max(0, now - bucket.updated) * limits.rate)
            bucket.updated = now
            guard bucket.tokens >= count else {
                buckets[client] = bucket
                return (count - bucket.tokens) / limits.rate
            }
            bucket.tokens -= count
            if buckets[client] == nil, buckets.count >= maximumClients {
                buckets = buckets.filter { _, idle in
                    idle.tokens + (now - idle.updated) * limits.rate < limits.burst
                }
            }
            buckets[client] = bucket
            return nil
        }
    }
}

/// A client's share of the transaction rate limit, which the handlers that admit transactions charge once
/// they know how many a request carries (a batch counts as its transactions: issue 16, point 4).
struct TransactionQuota: Sendable {
    let limiter: RateLimiter
    let client: String

    /// Takes `count` transactions from the client's bucket, or throws 429 `rate_limited`.
    func charge(_ count: Int) throws(ProblemDocument) {
        let limits = limiter.limits
        guard Double(count) <= limits.burst else {
            throw ProblemDocument(
                .tooManyRequests,
                "rate_limited",
                "Too many transactions",
                "this client may submit at most \(Int(limits.burst)) transactions at once; split the batch"
            )
        }
        guard let wait = limiter.take(client, count: Double(count), now: Date().timeIntervalSince1970) else {
            return
        }
        var problem = ProblemDocument(
            .tooManyRequests,
            "rate_limited",
            "Too many transactions",
            "this client may submit \(Int(limits.rate)) transactions per second (\(Int(limits.burst)) at once); retry later"
        )
        problem.retryAfter = max(1, Int(wait.rounded(.up)))
        throw problem
    }
}

/// Applies a `RateLimiter` to every request, keyed by the client `ClientMiddleware` resolved, and hands the
/// handlers the client's `TransactionQuota` when transactions are limited too.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let limiter: RateLimiter
    let transactions: RateLimiter?

    func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let client = context.client
        if let wait = limiter.take(client, now: Date().timeIntervalSince1970) {
            var problem = ProblemDocument(
                .tooManyRequests,
                "rate_limited",
                "Too many requests",
                "this client may make \(Int(limiter.limits.rate)) requests per second (\(Int(limiter.limits.burst)) at once); retry later"
            )
            problem.retryAfter = max(1, Int(wait.rounded(.up)))
            return problem.response
        }
        var context = context
        context.transactionQuota = transactions.map { TransactionQuota(limiter: $0, client: client) }
        return try await next(request, context)
    }
}
