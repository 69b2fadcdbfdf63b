// Overload for `Tools/overload.sh` (docs/reliability.md, "Resource limits"): measures the committed rate of a
// running local network, then offers five times that rate for MINUTES minutes and samples every node's
// memory, threads and file descriptors, the mempool and the refusals every 10 s. The client behaves as a
// real one under 503s: a refused transaction is sent again (the same signed bytes) until a block takes it,
// so every account's chain keeps moving and the nodes see fresh, retried and duplicate submissions.
// Prints a sample table and a summary line; asserts nothing.
//   overload DIR MINUTES          (NODE_PIDS: the nodes' process ids, in node order)
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// Writes a line at once, even into a pipe, so a long run can be watched.
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
guard arguments.count == 3, let minutes = Double(arguments[2]), minutes > 0 else {
    emit("usage: overload DIR MINUTES   (NODE_PIDS in the environment)")
    exit(2)
}
let network = try TestnetDirectory(arguments[1])
let pids = (ProcessInfo.processInfo.environment["NODE_PIDS"] ?? "").split(separator: " ").map(String.init)
let genesis = network.genesis
let hash = genesis.suite.suite.hashFunction
let apis = network.apis
let accounts = network.departmentAccounts
let issuers = network.departmentIssuers
let signedFor = genesis.network

func json(_ url: String) async -> JSONValue? { await APIRequest.json(url) }

/// Each account's chain of signed transactions, signed ahead of the send cursor, and the cursor: the first
/// sequence not yet sent, moved back to a refused one so that it goes again.
final class Chains: @unchecked Sendable {
    let lock = NSLock()
    var base: [UInt64]
    var signed: [[[UInt8]]]
    var cursor: [UInt64]
    var refused: [String: Int] = [:]
    var sent = 0
    init(base: [UInt64]) {
        self.base = base
        signed = Array(repeating: [], count: base.count)
        cursor = base
    }
}
var bases: [UInt64] = []
for account in accounts {
    guard case .integer(let next)? = await json("\(apis[0])/v1/accounts/\(account.publicKey.hex)")?["next_sequence"]
    else { throw InputError(message: "account unknown to the node") }
    bases.append(UInt64(next))
}
let chains = Chains(base: bases)
let run = UInt64(Date().timeIntervalSince1970 * 1000)

/// Keeps every account signed `ahead` transactions past its cursor.
func signAhead(_ ahead: Int) {
    for account in accounts.indices {
        let (have, want) = chains.lock.withLock {
            (chains.signed[account].count, Int(chains.cursor[account] - chains.base[account]) + ahead)
        }
        guard have < want else { continue }
        var batch: [[UInt8]] = []
        for index in have..<want {
            let transaction = Transaction(
                chainID: genesis.chainID,
                sender: accounts[account].publicKey.bytes,
                sequence: chains.base[account] + UInt64(index),
                payload: .certificateAnchor(
                    CertificateAnchor(
                        certificate: CertificateRef(
                            issuer: issuers[account],
                            key: hash.hash(utf8: "overload \(run) account \(account) certificate \(index)")
                        ),
                        documentCommitment: hash.hash(utf8: "overload \(run) account \(account) document \(index)"),
                        kind: .marriage
                    )
                )
            )
            if let signed = try? SignedTransaction(signing: transaction, with: accounts[account], for: signedFor) {
                batch.append(signed.canonicalBytes)
            }
        }
        chains.lock.withLock { chains.signed[account] += batch }
    }
}

/// Sends `count` transactions from the cursors, each account's to its own node, and moves cursors back to
/// what was refused for want of room.
func send(_ count: Int) async {
    let perAccount = max(1, count / accounts.count)
    await withTaskGroup(of: Void.self) { group in
        for account in accounts.indices {
            let slice = chains.lock.withLock { () -> (UInt64, [[UInt8]]) in
                let first = chains.cursor[account]
                let offset = Int(first - chains.base[account])
                let available = max(0, min(perAccount, chains.signed[account].count - offset))
                chains.cursor[account] = first + UInt64(available)
                chains.sent += available
                return (first, Array(chains.signed[account][offset..<offset + available]))
            }
            guard !slice.1.isEmpty else { continue }
            group.addTask {
                let body = slice.1.flatMap { withUnsafeBytes(of: UInt32($0.count).bigEndian, Array.init) + $0 }
                guard
                    let response = try? await APIRequest.send(
                        "POST",
                        apis[account % apis.count] + "/v1/txs/batch",
                        body: body,
                        contentType: "application/octet-stream",
                        timeout: 30
                    ), let document = try? JSONParser.parse(response.body),
                    case .array(let results)? = document["results"]
                else {
                    chains.lock.withLock {
                        chains.refused["http", default: 0] += slice.1.count
                        chains.cursor[account] = min(chains.cursor[account], slice.0)
                    }
                    return
                }
                chains.lock.withLock {
                    for (index, result) in results.enumerated() {
                        guard case .string(let code)? = result["code"] else { continue }
                        chains.refused[code, default: 0] += 1
                        if ["mempool_full", "sender_quota"].contains(code) {
                            chains.cursor[account] = min(chains.cursor[account], slice.0 + UInt64(index))
                        }
                    }
                }
            }
        }
    }
}

/// Transactions committed so far, counted from node 0's blocks.
final class Counter: @unchecked Sendable {
    var height: UInt64 = 0
    var committed = 0
}
let counter = Counter()
if case .integer(let height)? = await json("\(apis[0])/v1/status")?["height"] { counter.height = UInt64(height) }
func countCommitted() async {
    guard case .integer(let current)? = await json("\(apis[0])/v1/status")?["height"] else { return }
    while counter.height < UInt64(current) {
        guard case .array(let txs)? = await json("\(apis[0])/v1/blocks/\(counter.height + 1)")?["txs"] else { return }
        counter.committed += txs.count
        counter.height += 1
    }
}

/// Offers `rate` transactions per second for `seconds`, in 100 ms ticks, calling `sample` every 10 s. A slow
/// answer does not hold the next tick back (open loop), up to 16 ticks in flight.
func offer(rate: Int, seconds: Double, sample: (Double) async -> Void) async {
    let start = Date()
    var tick = 0
    var nextSample = 10.0
    var inFlight: [Task<Void, Never>] = []
    while Date().timeIntervalSince(start) < seconds {
        signAhead(max(1, rate / accounts.count))
        inFlight.append(Task { await send(rate / 10) })
        if inFlight.count >= 16 { await inFlight.removeFirst().value }
        tick += 1
        let due = start.addingTimeInterval(Double(tick) * 0.1)
        if due.timeIntervalSinceNow > 0 { try? await Task.sleep(for: .seconds(due.timeIntervalSinceNow)) }
        let elapsed = Date().timeIntervalSince(start)
        if elapsed >= nextSample {
            await sample(elapsed)
            nextSample += 10
        }
    }
    for task in inFlight { await task.value }
}

/// One node's resident memory (MB), threads and open file descriptors, from /proc.
func resources(_ pid: String) -> (rss: Double, threads: Int, descriptors: Int) {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
        return Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? .nan
    }
    let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    return (field("VmRSS") / 1024, Int(field("Threads").isNaN ? -1 : field("Threads")), descriptors)
}

// 1. The committed rate: offer far more than the network can take for 40 s, count the last 30.
emit("overload: measuring the committed rate (40 s at an offered 20,000 tx/s)")
var calibrationStart = 0
var calibrationStartTime = Date()
await offer(rate: 20_000, seconds: 40) { elapsed in
    await countCommitted()
    if elapsed < 11 {
        calibrationStart = counter.committed
        calibrationStartTime = Date()
    }
}
await countCommitted()
let committedRate = Double(counter.committed - calibrationStart) / Date().timeIntervalSince(calibrationStartTime)
let offered = Int(committedRate * 5)
emit(
    String(
        format: "overload: committed %.0f tx/s; offering %d tx/s (5×) for %.0f minutes",
        committedRate,
        offered,
        minutes
    )
)

// 2. Five times that, sampled every 10 s.
struct Sample {
    let elapsed: Double
    let resources: [(rss: Double, threads: Int, descriptors: Int)]
    let mempool: Int
    let committedRate: Double
    let offeredRate: Double
}
final class Samples: @unchecked Sendable { var all: [Sample] = [] }
let samples = Samples()
var lastCommitted = counter.committed
var lastSent = chains.lock.withLock { chains.sent }
var lastTime = Date()
emit("   time   RSS MB per node             threads      fds          mempool  committed/s  offered/s")
await offer(rate: offered, seconds: minutes * 60) { elapsed in
    await countCommitted()
    let now = Date()
    let sent = chains.lock.withLock { chains.sent }
    var mempool = -1
    if case .integer(let count)? = await json("\(apis[0])/v1/status")?["mempool_transactions"] { mempool = Int(count) }
    let sample = Sample(
        elapsed: elapsed,
        resources: pids.map(resources),
        mempool: mempool,
        committedRate: Double(counter.committed - lastCommitted) / now.timeIntervalSince(lastTime),
        offeredRate: Double(sent - lastSent) / now.timeIntervalSince(lastTime)
    )
    (lastCommitted, lastSent, lastTime) = (counter.committed, sent, now)
    samples.all.append(sample)
    emit(
        String(format: "%6.0fs  ", elapsed)
            + sample.resources.map { String(format: "%6.0f", $0.rss) }.joined() + "  "
            + sample.resources.map { String(format: "%3d", $0.threads) }.joined() + "  "
            + sample.resources.map { String(format: "%3d", $0.descriptors) }.joined() + "  "
            + String(format: "%7d  %11.0f  %9.0f", sample.mempool, sample.committedRate, sample.offeredRate)
    )
}

// 3. Summary: growth over the second half, ranges, refusals, disk per committed record.
let all = samples.all
let half = all.filter { $0.elapsed >= minutes * 30 }
func maxRSS(_ list: [Sample]) -> Double { list.flatMap { $0.resources.map(\.rss) }.max() ?? .nan }
let firstHalfPeak = maxRSS(all.filter { $0.elapsed < minutes * 30 })
let secondHalfPeak = maxRSS(half)
let threads = all.flatMap { $0.resources.map(\.threads) }
let descriptors = all.flatMap { $0.resources.map(\.descriptors) }
let meanOffered = all.map(\.offeredRate).reduce(0, +) / Double(max(1, all.count))
let meanCommitted = all.map(\.committedRate).reduce(0, +) / Double(max(1, all.count))
let refused = chains.lock.withLock { chains.refused }
emit(
    String(
        format:
            "overload: offered %.0f tx/s (%.1f× the committed %.0f) for %.0f min; committed %.0f tx/s under it; "
            + "RSS peak per node %.0f MB in the first half, %.0f MB in the second; threads %d–%d; fds %d–%d; "
            + "mempool max %d; refused %@",
        meanOffered,
        meanOffered / max(committedRate, 1),
        committedRate,
        minutes,
        meanCommitted,
        firstHalfPeak,
        secondHalfPeak,
        threads.min() ?? -1,
        threads.max() ?? -1,
        descriptors.min() ?? -1,
        descriptors.max() ?? -1,
        all.map(\.mempool).max() ?? -1,
        refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    )
)
emit("overload: \(counter.committed) transactions committed in \(counter.height) blocks")
