#if canImport(Glibc)
    import Glibc
#endif

/// An IP address or a CIDR range of them (`10.0.0.5`, `192.168.0.0/16`, `fd00::/8`), as `api.trusted_proxies`
/// lists them (`docs/api.md`, "Limits"). IPv4 addresses mapped into IPv6 (`::ffff:10.0.0.5`), as a dual-stack
/// listener reports IPv4 clients, count as the IPv4 address.
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The range's first address: 4 bytes or 16, the bits past the prefix zero.
    private let network: [UInt8]
    private let prefixLength: Int
    public let description: String

    /// Parses `address` or `address/prefix`; nil for anything else (a host name, a prefix too long, bits set
    /// past the prefix, which usually means a typing mistake).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let address = Self.address(parts[0]) else { return nil }
        let maximum = address.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length),
                parts[1].allSatisfy({ $0.isASCII && $0.isNumber })
            else {
                return nil
            }
            prefix = length
        }
        guard Self.masked(address, prefix) == address else { return nil }
        network = address
        prefixLength = prefix
        description = text
    }

    /// Whether `address` (as `IPAddressRange.address` parses it) lies in the range.
    public func contains(_ address: [UInt8]) -> Bool {
        address.count == network.count && Self.masked(address, prefixLength) == network
    }

    /// The bytes of an IPv4 (4) or IPv6 (16) address in text; an IPv4-mapped IPv6 address gives its 4 IPv4
    /// bytes. Nil for anything that is not an address.
    public static func address(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 64, !text.contains("%") else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &bytes) == 1 { return Array(bytes.prefix(4)) }
        guard inet_pton(AF_INET6, text, &bytes) == 1 else { return nil }
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        return bytes.starts(with: mapped) ? Array(bytes.suffix(4)) : bytes
    }

    private static func masked(_ address: [UInt8], _ prefix: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let kept = min(8, max(0, prefix - index * 8))
            return kept == 0 ? 0 : byte & ~UInt8(0xFF >> kept)
        }
    }
}
