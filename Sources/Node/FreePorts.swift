import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Free TCP ports on 127.0.0.1 for a local network, chosen *below* the kernel's ephemeral range: a port from
/// that range (what binding port 0 gives) can be taken by any outgoing connection's local end while a node
/// is down, and the node could not listen again after a restart.
public enum FreePorts {
    /// Every port handed out in this process: a port probed free is not bound until its node starts, and
    /// another caller in the same process (tests run in parallel) must not be handed it meanwhile.
    private static let handedOut = Mutex<Set<Int>>([])

    /// `count` distinct ports that could be bound just now and were never handed out before in this process.
    public static func take(_ count: Int) throws -> [Int] {
        let ephemeralStart = ephemeralRangeStart()
        let low = 20_000
        let high = max(low + 1_000, min(ephemeralStart, 65_536)) - 1
        var generator = SystemRandomNumberGenerator()
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts < 10_000 else { throw POSIXError(.EADDRINUSE) }
            let port = Int.random(in: low...high, using: &generator)
            guard bindable(port), handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            ports.append(port)
        }
        return ports
    }

    /// The first port of `net.ipv4.ip_local_port_range` (32768 when unknown).
    static func ephemeralRangeStart() -> Int {
        // try?: without the kernel's setting, Linux's default applies.
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
            let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first,
            let start = Int(first)
        else { return 32_768 }
        return start
    }

    private static func bindable(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
