import Node
import NodeAPI
import Testing

/// Whom the rate limit counts behind reverse proxies: only trusted proxies' `X-Forwarded-For` is read, from
/// the right, and what a client writes into the header itself never chooses its bucket.
struct ClientAddressTests {
    let proxies = ["10.0.0.5", "192.168.0.0/16"].compactMap(IPAddressRange.init)

    func client(_ peer: String, _ forwarded: [String], trusting trusted: [IPAddressRange]? = nil) -> String {
        ClientAddress.resolve(peer: peer, forwardedFor: forwarded, trusted: trusted ?? proxies)
    }

    @Test func aTrustedProxysForwardedAddressIsTheClient() {
        #expect(client("10.0.0.5", ["203.0.113.7"]) == "203.0.113.7")
        // Two proxies in a row, the header written by each as one line or two.
        #expect(client("10.0.0.5", ["203.0.113.7, 192.168.1.20"]) == "203.0.113.7")
        #expect(client("10.0.0.5", ["203.0.113.7", "192.168.1.20"]) == "203.0.113.7")
        #expect(client("::ffff:10.0.0.5", ["2001:db8::7"]) == "2001:db8::7")
    }

    @Test func whatAClientWritesCannotChooseItsBucket() {
        // Directly connected: the header is the client's own and ignored.
        #expect(client("203.0.113.7", ["198.51.100.1"]) == "203.0.113.7")
        // Through the proxy: entries left of the proxy-appended address are the client's own.
        #expect(client("10.0.0.5", ["198.51.100.1, 203.0.113.7"]) == "203.0.113.7")
        // A garbled entry stops the walk at the last proxy.
        #expect(client("10.0.0.5", ["not-an-address"]) == "10.0.0.5")
        #expect(client("10.0.0.5", ["203.0.113.7:4711"]) == "10.0.0.5")
        #expect(client("10.0.0.5", []) == "10.0.0.5")
        // No trusted proxies: never read.
        #expect(client("10.0.0.5", ["203.0.113.7"], trusting: []) == "10.0.0.5")
    }

    @Test func theWalkIsBounded() {
        let chain = Array(repeating: "192.168.0.1", count: 10_000).joined(separator: ",")
        #expect(client("10.0.0.5", ["203.0.113.7," + chain]) == "192.168.0.1")
        let short = Array(repeating: "192.168.0.1", count: ClientAddress.maximumHops - 1).joined(separator: ",")
        #expect(client("10.0.0.5", ["203.0.113.7," + short]) == "203.0.113.7")
    }
}
