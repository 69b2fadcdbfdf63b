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

    /// One host holds a whole IPv6 /64: hopping between its addresses does not multiply its shares. Before
    /// `ClientAddress.key`, every address of the /64 had a share of its own.
    @Test func anIPv6NetworkHoldsOneShare() {
        let counter = ConnectionCounter(maximumPerClient: 2)
        #expect(counter.opened("2001:db8:1:2::1") && counter.opened("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        #expect(!counter.opened("2001:db8:1:2:abcd::9"), "the /64's share is taken")
        #expect(counter.opened("2001:db8:1:3::1"), "the next /64 is another client")
        #expect(counter.connections(from: "2001:0db8:0001:0002::7") == 2)
        #expect(ClientAddress.key("2001:db8:1:2:abcd::9") == "2001:db8:1:2::/64")
        #expect(ClientAddress.key("::ffff:192.0.2.7") == "192.0.2.7", "an IPv4-mapped address is its IPv4 address")
        #expect(ClientAddress.key("64:ff9b::c000:207") == "192.0.2.7", "so is a NAT64-translated one")
        #expect(ClientAddress.key("64:ff9b::c000:208") != ClientAddress.key("64:ff9b::c000:207"))
        #expect(ClientAddress.key("192.0.2.7") == "192.0.2.7")
    }

    /// Batch bodies from any number of clients leave a quarter of the budget to other bodies: single
    /// transactions go on being accepted while batches fill the rest (before, four clients' batch bodies
    /// took the whole budget and every body after them was refused `busy`).
    @Test func batchBodiesLeaveRoomForOthers() {
        let budget = BodyBudget(total: 64)
        #expect(budget.batchShare == 48)
        // Three clients each hold a quarter in batch bodies: the batch share is full.
        for client in ["a", "b", "c"] { #expect(budget.reserve(16, batch: true, for: client)) }
        #expect(budget.batchUsed == 48)
        #expect(!budget.reserve(1, batch: true, for: "d"), "no more batch bytes")
        #expect(budget.reserve(10, for: "d") && budget.reserve(6, for: "e"), "other bodies still fit")
        #expect(!budget.reserve(1, for: "f"), "the whole budget is full")
        budget.release(16, batch: 16, for: "a")
        #expect(budget.batchUsed == 32)
        #expect(budget.reserve(16, batch: true, for: "f"), "released batch bytes are batch bytes again")
    }
}
