import Node
import NodeAPI
import Testing

/// The two counters behind the API's HTTP limits, without a server: what the live tests in
/// `HTTPLimitsTests.swift` show under real connections, here exactly.
struct HTTPLimitsAccountingTests {
    @Test func aClientHoldsAQuarterOfTheBodyBudgetAndTheNodeTheWhole() {
        let budget = BodyBudget(total: 64)
        #expect(budget.reserve(16, for: "a"))
        #expect(!budget.reserve(1, for: "a"), "a client's quarter is full")
        #expect(budget.reserve(16, for: "b") && budget.reserve(16, for: "c") && budget.reserve(16, for: "d"))
        #expect(!budget.reserve(1, for: "e"), "the node's whole budget is full")
        budget.release(16, for: "a")
        #expect(budget.used == 48)
        #expect(budget.reserve(10, for: "e") && budget.reserve(6, for: "a"))
        #expect(!budget.reserve(1, for: "a"))
    }

    @Test func anAddressHoldsItsShareOfConnectionsAndTrustedProxiesAreNotCapped() throws {
        let proxy = try #require(IPAddressRange("10.0.0.0/8"))
        let counter = ConnectionCounter(maximumPerClient: 2, trustedProxies: [proxy])
        #expect(counter.opened("192.0.2.1") && counter.opened("192.0.2.1"))
        #expect(!counter.opened("192.0.2.1"))
        #expect(counter.connections(from: "192.0.2.1") == 2)
        counter.closed("192.0.2.1")
        #expect(counter.opened("192.0.2.1"))
        #expect((0..<10).allSatisfy { _ in counter.opened("10.1.2.3") }, "a trusted proxy speaks for many")
        #expect(counter.opened("192.0.2.2"), "another address has its own share")
    }
}
