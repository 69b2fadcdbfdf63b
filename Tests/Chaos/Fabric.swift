import Foundation

/// Runs a command to its end; throws with its output when it fails.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw ChaosError("\(executable) \(arguments.joined(separator: " ")) failed: \(text)")
    }
    return text
}

/// What went wrong setting up or running the chaos run (not an invariant violation).
struct ChaosError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The network the nodes talk over. `NamespaceFabric`: each node in a network namespace of its own, every pair
/// joined by a veth pair, links cut with iptables. `LoopbackFabric`: all on 127.0.0.1, links cut by the
/// nodes' test fault switch.
protocol Fabric: AnyObject {
    /// The address node `index` listens on for peers, and the one its API answers on.
    func peerHost(_ index: Int) -> String
    func apiHost(_ index: Int) -> String
    /// The command prefix that runs a process inside node `index`'s network.
    func launcher(_ index: Int) -> [String]
    /// Cuts or heals the link between two nodes; cuts of one link nest (two cuts need two heals).
    func cut(_ a: Int, _ b: Int) throws
    func heal(_ a: Int, _ b: Int) throws
    /// Removes everything it made.
    func tearDown()
}

/// Four (or N) network namespaces of this run's own making. Node i has peer address 10.231.0.(i+1) on its
/// loopback, a veth to every other node with a host route over it, and a veth to the host namespace
/// (10.232.i.1 ↔ 10.232.i.2) for its API, which is never cut. A cut drops, in both namespaces, every packet
/// arriving over that pair's veth: a silent black hole, as a failed switch or firewall would make.
/// (This machine's kernel has no queueing disciplines, so `tc netem` cannot be used; iptables can.)
final class NamespaceFabric: Fabric {
    private let tag: String
    private let size: Int
    private var cuts: [Int: Int] = [:]
    private var created: [String] = []

    /// Whether this machine allows it: root, `ip netns`, iptables.
    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/iptables")
    }

    init(nodes: Int, tag: String) throws {
        self.tag = tag
        size = nodes
        do { try build() } catch {
            tearDown()
            throw error
        }
    }

    private func namespace(_ index: Int) -> String { "civchaos-\(tag)-\(index)" }
    private func veth(_ from: Int, _ to: Int) -> String { "cc\(tag)\(from)\(to)" }
    private func hostVeth(_ index: Int) -> String { "cc\(tag)h\(index)" }
    private func inside(_ index: Int, _ arguments: [String]) throws {
        try run("/usr/sbin/ip", ["netns", "exec", namespace(index)] + arguments)
    }

    private func build() throws {
        for index in 0..<size {
            try run("/usr/sbin/ip", ["netns", "add", namespace(index)])
            created.append(namespace(index))
            try inside(index, ["ip", "link", "set", "lo", "up"])
            try inside(index, ["ip", "addr", "add", peerHost(index) + "/32", "dev", "lo"])
            // The API link from the host namespace.
            try run(
                "/usr/sbin/ip",
                ["link", "add", hostVeth(index), "type", "veth", "peer", "name", "api", "netns", namespace(index)]
            )
            try run("/usr/sbin/ip", ["addr", "add", "10.232.\(index).1/30", "dev", hostVeth(index)])
            try run("/usr/sbin/ip", ["link", "set", hostVeth(index), "up"])
            try inside(index, ["ip", "addr", "add", apiHost(index) + "/30", "dev", "api"])
            try inside(index, ["ip", "link", "set", "api", "up"])
        }
        for a in 0..<size {
            for b in (a + 1)..<size {
                try run(
                    "/usr/sbin/ip",
                    [
                        "link", "add", veth(a, b), "netns", namespace(a), "type", "veth", "peer", "name", veth(b, a),
                        "netns", namespace(b),
                    ]
                )
                for (from, to) in [(a, b), (b, a)] {
                    try inside(from, ["ip", "link", "set", veth(from, to), "up"])
                    try inside(
                        from,
                        ["ip", "route", "add", peerHost(to) + "/32", "dev", veth(from, to), "src", peerHost(from)]
                    )
                }
            }
        }
    }

    func peerHost(_ index: Int) -> String { "10.231.0.\(index + 1)" }
    func apiHost(_ index: Int) -> String { "10.232.\(index).2" }
    func launcher(_ index: Int) -> [String] { ["/usr/sbin/ip", "netns", "exec", namespace(index)] }

    private func key(_ a: Int, _ b: Int) -> Int { min(a, b) * size + max(a, b) }

    func cut(_ a: Int, _ b: Int) throws {
        cuts[key(a, b), default: 0] += 1
        guard cuts[key(a, b)] == 1 else { return }
        try inside(a, ["iptables", "-A", "INPUT", "-i", veth(a, b), "-j", "DROP"])
        try inside(b, ["iptables", "-A", "INPUT", "-i", veth(b, a), "-j", "DROP"])
    }

    func heal(_ a: Int, _ b: Int) throws {
        guard let count = cuts[key(a, b)], count > 0 else { return }
        cuts[key(a, b)] = count - 1
        guard count == 1 else { return }
        try inside(a, ["iptables", "-D", "INPUT", "-i", veth(a, b), "-j", "DROP"])
        try inside(b, ["iptables", "-D", "INPUT", "-i", veth(b, a), "-j", "DROP"])
    }

    func tearDown() {
        // Deleting a namespace deletes its veths and their peers, and its iptables rules with it.
        for name in created { _ = try? run("/usr/sbin/ip", ["netns", "delete", name]) }
        created = []
    }
}

/// Every node on 127.0.0.1, for machines without root or `ip netns`: links are cut inside the nodes by the
/// test fault switch (`CIVIC_TEST_LINK_FAULTS`): node i reads `DIR/node<i>/link-faults`, the member ids whose
/// links it treats as cut (it closes and refuses them — a fast failure rather than a silent black hole).
final class LoopbackFabric: Fabric {
    private let directory: String
    private let nodeIDs: [String]
    private var cuts: [Int: Int] = [:]

    init(directory: String, nodes: Int) throws {
        self.directory = directory
        nodeIDs = try (0..<nodes).map { index in
            let text = try String(contentsOfFile: "\(directory)/node\(index)/config.toml", encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("node_id = ") }) else {
                throw ChaosError("node\(index) has no node_id")
            }
            return String(line.dropFirst("node_id = \"".count).dropLast())
        }
        for index in 0..<nodes { try write(index) }
    }

    private func faults(_ index: Int) -> String { "\(directory)/node\(index)/link-faults" }
    private func key(_ a: Int, _ b: Int) -> Int { min(a, b) * nodeIDs.count + max(a, b) }

    private func write(_ index: Int) throws {
        let cut = nodeIDs.indices.filter { other in other != index && (cuts[key(index, other)] ?? 0) > 0 }
        try (cut.map { nodeIDs[$0] + "\n" }.joined()).write(toFile: faults(index), atomically: true, encoding: .utf8)
    }

    func peerHost(_ index: Int) -> String { "127.0.0.1" }
    func apiHost(_ index: Int) -> String { "127.0.0.1" }
    func launcher(_ index: Int) -> [String] { ["/usr/bin/env", "CIVIC_TEST_LINK_FAULTS=\(faults(index))"] }

    func cut(_ a: Int, _ b: Int) throws {
        cuts[key(a, b), default: 0] += 1
        try write(a)
        try write(b)
    }

    func heal(_ a: Int, _ b: Int) throws {
        guard let count = cuts[key(a, b)], count > 0 else { return }
        cuts[key(a, b)] = count - 1
        try write(a)
        try write(b)
    }

    func tearDown() {}
}
