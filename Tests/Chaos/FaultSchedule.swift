import LedgerTestSupport

/// One fault the controller injects, and for how long.
enum Fault: CustomStringConvertible {
    /// SIGKILL the node, restart it after the duration.
    case kill(node: Int)
    /// SIGSTOP the node, SIGCONT it after the duration.
    case pause(node: Int)
    /// Cut the link between two nodes (both directions), heal it after the duration.
    case cut(Int, Int)
    /// Cut every link of one node.
    case isolate(node: Int)

    var description: String {
        switch self {
        case .kill(let node): return "SIGKILL node\(node)"
        case .pause(let node): return "SIGSTOP node\(node)"
        case .cut(let a, let b): return "cut link node\(a)-node\(b)"
        case .isolate(let node): return "isolate node\(node)"
        }
    }

    /// The node whose process the fault stops, if it stops one.
    var stoppedNode: Int? {
        switch self {
        case .kill(let node), .pause(let node): return node
        case .cut, .isolate: return nil
        }
    }
}

/// A fault at a time from the run's start, lasting `duration` seconds.
struct ScheduledFault {
    let start: Double
    let duration: Double
    let fault: Fault

    var end: Double { start + duration }
}

/// The seeded fault schedule: the same seed gives the same faults at the same times. Faults overlap; at most
/// two nodes have a stopped process at once (two of four stops the network, which must then halt safely and
/// resume when one returns), and no fault starts after `until`.
enum FaultSchedule {
    static func make(seed: UInt64, nodes: Int, from: Double, until: Double) -> [ScheduledFault] {
        var random = SeededGenerator(seed: seed)
        var faults: [ScheduledFault] = []
        var time = from
        while true {
            time += Double.random(in: 2...8, using: &random)
            guard time < until else { break }
            let stopped = Set(faults.filter { $0.end > time }.compactMap(\.fault.stoppedNode))
            let kind = Int.random(in: 0..<4, using: &random)
            let node = Int.random(in: 0..<nodes, using: &random)
            let fault: Fault
            let duration: Double
            switch kind {
            case 0, 1:
                guard stopped.count < 2, !stopped.contains(node) else { continue }
                fault = kind == 0 ? .kill(node: node) : .pause(node: node)
                duration = Double.random(in: 1...10, using: &random)
            case 2:
                let other = (node + Int.random(in: 1..<nodes, using: &random)) % nodes
                fault = .cut(min(node, other), max(node, other))
                duration = Double.random(in: 2...20, using: &random)
            default:
                fault = .isolate(node: node)
                duration = Double.random(in: 2...20, using: &random)
            }
            faults.append(ScheduledFault(start: time, duration: min(duration, until - time), fault: fault))
        }
        return faults
    }
}
