// Open-loop load against a local network made by `civicd testnet` (`Tools/bench-network.sh`): submits
// transactions at a fixed rate whatever the nodes answer, spread over the nodes and the departments'
// accounts, and reports committed transactions per second and commit latency (submission to the first
// block that holds it, seen by polling node 0). Prints figures; asserts nothing.
//   node-load DIR RATE SECONDS single|batch
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

let arguments = CommandLine.arguments
guard arguments.count == 5, let rate = Int(arguments[2]), let seconds = Int(arguments[3]),
    ["single", "batch"].contains(arguments[4])
else {
    print("usage: node-load DIR RATE SECONDS single|batch")
    exit(2)
}
let network = try TestnetDirectory(arguments[1])
let batchAnchors = arguments[4] == "batch"
let genesis = network.genesis
let hash = genesis.suite.suite.hashFunction
let apis = network.apis
let accounts = network.departmentAccounts
let issuers = network.departmentIssuers
let signedFor = genesis.network

func json(_ url: String) async -> JSONValue? { await APIRequest.json(url) }

var sequences: [UInt64] = []
for account in accounts {
    guard case .integer(let next)? = await json("\(apis[0])/v1/accounts/\(account.publicKey.hex)")?["next_sequence"]
    else { throw InputError(message: "account unknown to the node") }
    sequences.append(UInt64(next))
}
guard case .integer(let startHeight)? = await json("\(apis[0])/v1/status")?["height"] else {
    throw InputError(message: "node 0 does not answer")
}

/// Pre-signs everything, so signing does not limit the offered rate.
let total = rate * seconds
var transactions: [SignedTransaction] = []
transactions.reserveCapacity(total)
let run = UInt64(Date().timeIntervalSince1970 * 1000)
for index in 0..<total {
    let account = index % accounts.count
    let payload: TransactionPayload
    if batchAnchors {
        let leaves = (0..<1_000).map { hash.hash(utf8: "run \(run) tx \(index) leaf \($0)") }
        payload = .batchAnchor(
            BatchAnchor(
                root: MerkleLog(hash: hash).root(leafHashes: leaves),
                leafCount: 1_000,
                label: "load run \(run) batch \(index)"
            )
        )
    } else {
        payload = .certificateAnchor(
            CertificateAnchor(
                certificate: CertificateRef(
                    issuer: issuers[account],
                    key: hash.hash(utf8: "run \(run) certificate \(index)")
                ),
                documentCommitment: hash.hash(utf8: "run \(run) document \(index)"),
                kind: .marriage
            )
        )
    }
    let transaction = Transaction(
        chainID: genesis.chainID,
        sender: accounts[account].publicKey.bytes,
        sequence: sequences[account],
        payload: payload
    )
    sequences[account] += 1
    transactions.append(try SignedTransaction(signing: transaction, with: accounts[account], for: signedFor))
}
let ids = transactions.map { $0.id(hash: hash).hex }
/// Each transaction as the binary batch format wants it: its length (4 bytes, big-endian), then its bytes.
let encoded = transactions.map {
    withUnsafeBytes(of: UInt32($0.canonicalBytes.count).bigEndian, Array.init) + $0.canonicalBytes
}

final class Log: @unchecked Sendable {
    let lock = NSLock()
    var submitted: [String: Date] = [:]
    var latencies: [Double] = []
    var refused: [String: Int] = [:]
    /// Transactions seen in a second block: must stay 0 (a transaction is committed once).
    var counted: Set<String> = []
    var twice = 0
    func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
let log = Log()

/// Each node's submissions not yet sent, in order, with the time each was due.
final class Lanes: @unchecked Sendable {
    let lock = NSLock()
    var queued: [[Int]]
    var finished = false
    init(count: Int) { queued = Array(repeating: [], count: count) }
    func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

// Submission, open loop: every 20 ms the next slice is due and queued for the node of each account (each
// account's transactions go to one node, in order). One lane per node sends everything queued as one batch
// request, then the next: a slow node gets bigger batches, never a lower offered rate. Latency counts from
// the time a transaction was due, not sent, so a slow API is not hidden.
let tick = 0.02
let perTick = max(1, Int(Double(rate) * tick))
/// The nodes' processes (`NODE_PIDS`, set by the bench script): their CPU time is measured over the load.
let nodePIDs = (ProcessInfo.processInfo.environment["NODE_PIDS"] ?? "").split(separator: " ").map(String.init)
func cpuTicks() -> [Double] {
    nodePIDs.map { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return .nan }
        // Fields after the command name: state is field 3, so utime and stime (14, 15) are at 11 and 12.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return user + system
    }
}
let cpuAtStart = cpuTicks()
let start = Date()
let lanes = Lanes(count: apis.count)
let generator = Task {
    var next = 0
    var tickIndex = 0
    while next < total {
        let due = start.addingTimeInterval(Double(tickIndex) * tick)
        let wait = due.timeIntervalSinceNow
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        let slice = next..<min(total, next + perTick)
        next = slice.upperBound
        tickIndex += 1
        log.locked { for index in slice { log.submitted[ids[index]] = due } }
        lanes.locked { for index in slice { lanes.queued[(index % accounts.count) % apis.count].append(index) } }
    }
    lanes.locked { lanes.finished = true }
}
let senders = (0..<apis.count).map { node in
    Task {
        while true {
            let (indices, finished) = lanes.locked { () -> ([Int], Bool) in
                defer { lanes.queued[node] = [] }
                return (lanes.queued[node], lanes.finished)
            }
            if indices.isEmpty {
                if finished { return }
                try? await Task.sleep(nanoseconds: 2_000_000)
                continue
            }
            for chunk in stride(from: 0, to: indices.count, by: 5_000).map({
                indices[$0..<min($0 + 5_000, indices.count)]
            }) {
                guard
                    let response = try? await APIRequest.send(
                        "POST",
                        apis[node] + "/v1/txs/batch",
                        body: chunk.flatMap { encoded[$0] },
                        contentType: "application/octet-stream",
                        timeout: 30
                    ), let document = try? JSONParser.parse(response.body),
                    case .array(let results)? = document["results"]
                else {
                    log.locked { log.refused["http", default: 0] += chunk.count }
                    continue
                }
                log.locked {
                    for result in results {
                        if case .string(let code)? = result["code"] { log.refused[code, default: 0] += 1 }
                    }
                }
            }
        }
    }
}

// Commit watching: new blocks on node 0.
var height = UInt64(startHeight)
var committed = 0
var lastCommit = start
let deadline = start.addingTimeInterval(Double(seconds) + 30)
while Date() < deadline {
    guard case .integer(let current)? = await json("\(apis[0])/v1/status")?["height"] else { continue }
    while height < UInt64(current) {
        height += 1
        guard case .array(let txs)? = await json("\(apis[0])/v1/blocks/\(height)")?["txs"] else { break }
        let now = Date()
        log.locked {
            for case .string(let id) in txs {
                guard log.counted.insert(id).inserted else {
                    log.twice += 1
                    continue
                }
                if let sent = log.submitted[id] {
                    log.latencies.append(now.timeIntervalSince(sent))
                    committed += 1
                    lastCommit = now
                }
            }
        }
    }
    let refusedCount = log.locked { log.refused.values.reduce(0, +) }
    if committed + refusedCount >= total { break }
    try await Task.sleep(nanoseconds: 50_000_000)
}
_ = await generator.value
for sender in senders { _ = await sender.value }
let latencies = log.locked { log.latencies.sorted() }
let elapsed = lastCommit.timeIntervalSince(start)
let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
let cpu = zip(cpuAtStart, cpuTicks()).map { before, after in
    String(format: "%.0f%%", 100 * (after - before) / ticksPerSecond / Date().timeIntervalSince(start))
}
func percentile(_ p: Double) -> Double {
    latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
}
print(
    String(
        format:
            "offered %d tx/s for %d s (%@): committed %d of %d in %.1f s = %.0f tx/s; latency p50 %.0f ms, p99 %.0f ms; refused %@; in two blocks %d; CPU per node %@ of one core",
        rate,
        seconds,
        arguments[4],
        committed,
        total,
        elapsed,
        Double(committed) / max(elapsed, 0.001),
        percentile(0.5) * 1000,
        percentile(0.99) * 1000,
        log.locked { "\(log.refused)" },
        log.locked { log.twice },
        cpu.joined(separator: " ")
    )
)
