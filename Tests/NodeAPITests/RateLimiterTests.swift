import NodeAPI
import Testing

/// The per-client token bucket (`docs/api.md`, "Limits").
struct RateLimiterTests {
    @Test func aClientGetsItsBurstThenItsRateAndOthersAreUntouched() {
        let limiter = RateLimiter(RateLimiter.Limits(rate: 2, burst: 3))
        for _ in 0..<3 { #expect(limiter.take("10.0.0.1", now: 100) == nil) }
        let wait = limiter.take("10.0.0.1", now: 100)
        #expect(wait == 0.5, "one token refills in half a second at 2 per second")
        #expect(limiter.take("10.0.0.2", now: 100) == nil, "another client has its own bucket")
        #expect(limiter.take("10.0.0.1", now: 100.5) == nil)
        #expect(limiter.take("10.0.0.1", now: 100.5) != nil)
        // After a long idle time the bucket is full again, never fuller.
        for _ in 0..<3 { #expect(limiter.take("10.0.0.1", now: 1_000) == nil) }
        #expect(limiter.take("10.0.0.1", now: 1_000) != nil)
    }

    @Test func theClientTableStaysBounded() {
        let limiter = RateLimiter(RateLimiter.Limits(rate: 1, burst: 1), maximumClients: 100)
        for index in 0..<10_000 { _ = limiter.take("client \(index)", now: Double(index)) }
        #expect(limiter.clients <= 100)
        // A client still inside its refill window keeps its state through a clean-up.
        #expect(limiter.take("client 9999", now: 9_999.5) != nil)
    }
}
