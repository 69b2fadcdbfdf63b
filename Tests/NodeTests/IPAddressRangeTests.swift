import Node
import Testing

/// The addresses and CIDR ranges `api.trusted_proxies` holds: what parses, what is refused, what lies inside.
struct IPAddressRangeTests {
    @Test func addressesAndRangesContainWhatTheySay() throws {
        let single = try #require(IPAddressRange("10.0.0.5"))
        #expect(single.contains(try #require(IPAddressRange.address("10.0.0.5"))))
        #expect(!single.contains(try #require(IPAddressRange.address("10.0.0.6"))))
        let private16 = try #require(IPAddressRange("192.168.0.0/16"))
        #expect(private16.contains(try #require(IPAddressRange.address("192.168.200.1"))))
        #expect(!private16.contains(try #require(IPAddressRange.address("192.169.0.1"))))
        let odd = try #require(IPAddressRange("172.16.0.0/12"))
        #expect(odd.contains(try #require(IPAddressRange.address("172.31.255.255"))))
        #expect(!odd.contains(try #require(IPAddressRange.address("172.32.0.0"))))
        let everything = try #require(IPAddressRange("0.0.0.0/0"))
        #expect(everything.contains(try #require(IPAddressRange.address("8.8.8.8"))))
        let v6 = try #require(IPAddressRange("fd00::/8"))
        #expect(v6.contains(try #require(IPAddressRange.address("fd12:3456::1"))))
        #expect(!v6.contains(try #require(IPAddressRange.address("fe80::1"))))
        // An IPv4 client seen by a dual-stack listener is the IPv4 address; families never mix.
        #expect(single.contains(try #require(IPAddressRange.address("::ffff:10.0.0.5"))))
        #expect(!v6.contains(try #require(IPAddressRange.address("10.0.0.5"))))
        #expect(!(try #require(IPAddressRange("::/0"))).contains(try #require(IPAddressRange.address("10.0.0.5"))))
    }

    @Test(arguments: [
        "", "proxy.local", "10.0.0", "10.0.0.256", "10.0.0.5/33", "10.0.0.5/-1", "10.0.0.5/", "10.0.0.0/8/8",
        "10.0.0.5/24", "fe80::1%eth0", "::1/129", "10.0.0.5 ", "10.0.0.0/０", "10.0.0.0/+8",
    ])
    func mistakesAreRefused(text: String) {
        #expect(IPAddressRange(text) == nil)
    }
}
