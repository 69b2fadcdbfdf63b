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
}
