import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import Node

/// A token bucket per client address (`docs/api.md`, "Limits"): each client may make `rate` requests per
/// second on average and `burst` at once; beyond that it gets 429 `rate_limited` with `Retry-After`. The
/// table of clients is bounded: when it fills, buckets that have refilled (idle clients) are dropped.
public final class RateLimiter: Sendable {
    /// Requests per second per client, and the most at once.
    public struct Limits: Sendable, Equatable {
        public var rate: Double
        public var burst: Double

        public init(rate: Double, burst: Double) {
            self.rate = rate
            self.burst = burst
        }

        public static let standard = Limits(rate: 500, burst: 1_000)
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

    /// Takes one token for `client` at time `now` (seconds); returns the seconds to wait when there is none.
    public func take(_ client: String, now: Double) -> Double? {
        buckets.withLockedValue { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: limits.burst, updated: now)
            bucket.tokens = min(limits.burst, bucket.tokens + max(0, now - bucket.updated) * limits.rate)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[client] = bucket
                return (1 - bucket.tokens) / limits.rate
            }
            bucket.tokens -= 1
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

/// Applies a `RateLimiter` to every request, keyed by the client's IP address (`ClientAddress`: behind a
/// trusted proxy, the address it forwards).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let limiter: RateLimiter
    let trustedProxies: [IPAddressRange]

    func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        let client =
            trustedProxies.isEmpty
            ? peer
            : ClientAddress.resolve(
                peer: peer,
                forwardedFor: request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value),
                trusted: trustedProxies
            )
        if let wait = limiter.take(client, now: Date().timeIntervalSince1970) {
            var response = ProblemDocument(
                .tooManyRequests,
                "rate_limited",
                "Too many requests",
                "this client may make \(Int(limiter.limits.rate)) requests per second (\(Int(limiter.limits.burst)) at once); retry later"
            ).response
            response.headers[.retryAfter] = String(max(1, Int(wait.rounded(.up))))
            return response
        }
        return try await next(request, context)
    }
}
