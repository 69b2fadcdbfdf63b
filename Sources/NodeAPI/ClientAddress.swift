import Foundation
import Node

/// Whom a request comes from, for the rate limit (`docs/api.md`, "Limits"): the connection's peer address,
/// unless that peer is a trusted proxy — then the nearest address in `X-Forwarded-For`, read from the right,
/// that is not one. Entries left of it are the client's own words and never read, so a client cannot pick its
/// bucket; a garbled entry stops the walk at the last proxy. With no trusted proxies the header is ignored.
public enum ClientAddress {
    /// The most `X-Forwarded-For` entries walked: far more proxies than stand in front of one node.
    public static let maximumHops = 16

    public static func resolve(peer: String, forwardedFor: [String], trusted: [IPAddressRange]) -> String {
        var hops = forwardedFor.flatMap { $0.split(separator: ",") }.suffix(maximumHops)
        var client = peer
        while let address = IPAddressRange.address(client), trusted.contains(where: { $0.contains(address) }),
            let next = hops.popLast()
        {
            let candidate = next.trimmingCharacters(in: .whitespaces)
            guard IPAddressRange.address(candidate) != nil else { break }
            client = candidate
        }
        return client
    }

    /// The unit every per-client limit counts (`docs/api.md`, "Limits"): an IPv4 address as it is, an IPv6
    /// address by its /64 — one subscriber's network, all of whose 2⁶⁴ addresses one host can use, so that
    /// hopping between them does not multiply a client's shares. An IPv4 address mapped into IPv6
    /// (`::ffff:0:0/96`) or translated by NAT64's well-known prefix (`64:ff9b::/96`, RFC 6052) counts as that
    /// IPv4 address; text that is no address (a Unix socket) counts as itself.
    public static func key(_ address: String) -> String {
        guard var bytes = IPAddressRange.address(address) else { return address }
        if bytes.count == 16, bytes.starts(with: nat64Prefix) { bytes = Array(bytes.suffix(4)) }
        guard bytes.count == 16 else { return bytes.map { String($0) }.joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }

    /// `64:ff9b::/96`, the first 12 bytes.
    private static let nat64Prefix: [UInt8] = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
}
