import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Storage

/// The promises checked at the end of a chaos run, each returning what broke it in words.
enum Invariants {
    /// One node's view of one height.
    struct BlockView: Equatable {
        let hash: String
        let stateRoot: String
        let transactions: [String]
    }

    /// Every node's block at every height 1…`height`: the same hash, state root and transactions everywhere.
    /// Returns node 0's blocks by height, for the other checks.
    static func identicalBlocks(_ cluster: Cluster, upTo height: UInt64) async -> ([UInt64: BlockView], [String]) {
        var blocks: [UInt64: BlockView] = [:]
        var violations: [String] = []
        let chunk: UInt64 = 64
        var start: UInt64 = 1
        while start <= height {
            let end = min(height, start + chunk - 1)
            let views = await withTaskGroup(of: (UInt64, [BlockView?]).self) { group in
                for current in start...end {
                    group.addTask {
                        var views: [BlockView?] = []
                        for node in 0..<cluster.size { views.append(await view(cluster, node, current)) }
                        return (current, views)
                    }
                }
                var all: [(UInt64, [BlockView?])] = []
                for await entry in group { all.append(entry) }
                return all
            }
            for (current, nodes) in views {
                guard let reference = nodes[0] else {
                    violations.append("node0 cannot show its block \(current)")
                    continue
                }
                blocks[current] = reference
                for (node, view) in nodes.enumerated().dropFirst() where view != reference {
                    let seen = view.map { "hash \($0.hash.prefix(12)) root \($0.stateRoot.prefix(12))" } ?? "nothing"
                    violations.append(
                        "height \(current): node\(node) has \(seen), node0 hash \(reference.hash.prefix(12)) "
                            + "root \(reference.stateRoot.prefix(12))"
                    )
                }
            }
            start = end + 1
        }
        return (blocks, violations)
    }

    private static func view(_ cluster: Cluster, _ node: Int, _ height: UInt64) async -> BlockView? {
        for _ in 0..<3 {
            if let document = await cluster.json(node, "/v1/blocks/\(height)", timeout: 10),
                case .string(let hash)? = document["hash"], case .string(let root)? = document["state_root"],
                case .array(let transactions)? = document["txs"]
            {
                let ids = transactions.compactMap { value -> String? in
                    if case .string(let id) = value { return id }
                    return nil
                }
                return BlockView(hash: hash, stateRoot: root, transactions: ids)
            }
        }
        return nil
    }

    /// Every acknowledged transaction is in the block at the height it was acknowledged at (and so, the
    /// blocks being identical, on every node), and no transaction is in two blocks.
    static func acknowledgedAreCommitted(_ acknowledged: [Acknowledged], blocks: [UInt64: BlockView]) -> [String] {
        var violations: [String] = []
        var seen: [String: UInt64] = [:]
        for (height, block) in blocks {
            for id in block.transactions {
                if let earlier = seen.updateValue(height, forKey: id) {
                    violations.append("transaction \(id.prefix(12)) is in blocks \(earlier) and \(height)")
                }
            }
        }
        for entry in acknowledged where seen[entry.hash] != entry.height {
            let found = seen[entry.hash].map { "at height \($0)" } ?? "nowhere"
            violations.append(
                "transaction \(entry.hash.prefix(12)) was acknowledged at height \(entry.height), found \(found)"
            )
        }
        return violations
    }

    /// No validator's key signed two different things at one height, round and step, across every restart:
    /// read from each node's signing journal. Returns the lines read.
    static func noConflictingSignatures(_ cluster: Cluster) -> (Int, [String]) {
        var violations: [String] = []
        var lines = 0
        for node in 0..<cluster.size {
            guard let text = try? String(contentsOfFile: cluster.journalPath(node), encoding: .utf8) else {
                violations.append("node\(node) has no signing journal")
                continue
            }
            var signed: [String: Digest?] = [:]
            for line in text.split(separator: "\n") {
                // A line torn by SIGKILL mid-write is the last one and its signature was never released.
                guard let entry = SigningJournal.Entry(line: line) else { continue }
                lines += 1
                let position = "\(entry.height)/\(entry.round)/\(entry.step)"
                if let earlier = signed[position], earlier != entry.blockHash {
                    violations.append(
                        "node\(node) signed two things at height/round/step \(position): "
                            + "\(earlier?.hex.prefix(12) ?? "nil") and \(entry.blockHash?.hex.prefix(12) ?? "nil")"
                    )
                }
                signed[position] = entry.blockHash
            }
        }
        return (lines, violations)
    }

    /// No node logged at `critical` in any of its lives: with healthy disks and intact data that would be a
    /// stopped consensus, a refused signature, or its own key's signature made elsewhere (SPEC §9) — each a bug
    /// here, where every restart keeps the node's files.
    static func nothingCritical(_ cluster: Cluster) -> [String] {
        var violations: [String] = []
        for node in 0..<cluster.size {
            let text = (try? String(contentsOfFile: cluster.logPath(node), encoding: .utf8)) ?? ""
            let critical = text.split(separator: "\n").filter {
                $0.split(separator: " ").dropFirst().first == "critical"
            }
            if let first = critical.first {
                violations.append(
                    "node\(node) logged \(critical.count) critical lines, the first: \(first.prefix(300))"
                )
            }
        }
        return violations
    }

    /// No node holds evidence of double-signing: every validator here is honest.
    static func noEvidence(_ cluster: Cluster) async -> [String] {
        var violations: [String] = []
        for node in 0..<cluster.size {
            guard let document = await cluster.json(node, "/v1/evidence") else {
                violations.append("node\(node) does not answer /v1/evidence")
                continue
            }
            if case .array(let items)? = document["evidence"], !items.isEmpty {
                violations.append("node\(node) holds \(items.count) pieces of double-signing evidence")
            }
        }
        return violations
    }
}
