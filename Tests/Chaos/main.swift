// The chaos run (`Tools/chaos.sh`, docs/reliability.md): a 4-node network of real `civicd` processes under
// steady load while a seeded schedule SIGKILLs and restarts nodes, pauses them (SIGSTOP/SIGCONT) and cuts and
// heals the links between them. Then it checks that every acknowledged transaction is on every node, every
// node holds identical blocks and state roots at every height, no validator signed two things at one step
// and no node holds double-signing evidence, no node died by itself or logged at critical, and the network
// committed again within `recommitLimit` after the last fault and every node caught up. Ends with
// `chaos: … N violations`.
//   chaos --minutes M --seed S --civicd PATH --dir DIR [--tag T] [--loopback]
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// Stated bounds: the first new block after the last fault heals, and every node at that height.
let recommitLimit = 30.0
let catchUpLimit = 90.0

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else {
        return nil
    }
    return CommandLine.arguments[index + 1]
}
guard let minutes = option("--minutes").flatMap(Double.init), minutes >= 1,
    let seed = option("--seed").flatMap(UInt64.init),
    let civicd = option("--civicd"), let directory = option("--dir"),
    option("--tag").map({ (1...4).contains($0.count) && $0.allSatisfy(\.isNumber) }) ?? true
else {
    emit("usage: chaos --minutes M (1 or more) --seed S --civicd PATH --dir DIR [--tag 1-4 DIGITS] [--loopback]")
    exit(2)
}
/// Writes a line at once, even into a pipe: the run is watched as it goes.
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
let started = Date()
func now() -> Double { Date().timeIntervalSince(started) }
func say(_ text: String) { emit(String(format: "[%7.1fs] ", now()) + text) }

_ = try run(civicd, ["testnet", "--validators", "4", "--dir", directory])
let fabric: Fabric
if CommandLine.arguments.contains("--loopback") || !NamespaceFabric.available {
    fabric = try LoopbackFabric(directory: directory, nodes: 4)
    say("nodes on 127.0.0.1 (no root, ip netns or iptables): links cut by the nodes' test fault switch")
} else {
    fabric = try NamespaceFabric(nodes: 4, tag: option("--tag") ?? String(getpid() % 10_000))
    say("nodes in 4 network namespaces joined by veth pairs; links cut with iptables")
}
let cluster = try Cluster(directory: directory, civicd: civicd, fabric: fabric)
let network = try TestnetDirectory(directory)
let genesis = network.genesis
let accounts = network.departmentAccounts

for index in 0..<cluster.size { try cluster.start(index) }
var ready = false
while !ready && now() < 90 {
    var heights: [UInt64] = []
    for index in 0..<cluster.size { heights.append(await cluster.height(index) ?? 0) }
    ready = heights.allSatisfy { $0 >= 2 }
    if !ready { try await Task.sleep(for: .milliseconds(200)) }
}
guard ready else {
    cluster.stopAll()
    fabric.tearDown()
    emit("chaos: the network did not start (logs in \(directory)); 1 violations")
    exit(1)
}

let total = minutes * 60
let faultsFrom = now() + 10
let faultsUntil = total - 45
let load = Load(cluster: cluster, genesis: genesis, accounts: accounts)
let loadTask = Task { await load.run() }
let schedule = FaultSchedule.make(
    seed: seed,
    nodes: cluster.size,
    from: faultsFrom,
    until: faultsUntil
)
say("load started: \(accounts.count) accounts; \(schedule.count) faults scheduled from seed \(seed)")

/// Each fault's start and end, in time order.
let actions = schedule.flatMap { [($0.start, $0.fault, true, $0.duration), ($0.end, $0.fault, false, $0.duration)] }
    .sorted { $0.0 < $1.0 }
var violations: [String] = []
for (time, fault, begins, duration) in actions {
    if time > now() { try await Task.sleep(for: .seconds(time - now())) }
    do {
        switch (fault, begins) {
        case (.kill(let node), true): cluster.kill(node)
        case (.kill(let node), false): try cluster.start(node)
        case (.pause(let node), true): cluster.pause(node)
        case (.pause(let node), false): cluster.resume(node)
        case (.cut(let a, let b), true): try fabric.cut(a, b)
        case (.cut(let a, let b), false): try fabric.heal(a, b)
        case (.isolate(let node), _):
            for other in 0..<cluster.size where other != node {
                if begins { try fabric.cut(node, other) } else { try fabric.heal(node, other) }
            }
        }
    } catch {
        violations.append("the controller could not apply \(fault): \(error)")
    }
    say(begins ? "\(fault) for \(String(format: "%.1f", duration)) s" : "ended: \(fault)")
}
let lastFault = now()

// Liveness after the last fault: a new block within `recommitLimit`, every node at it within `catchUpLimit`.
func heights() async -> [UInt64?] {
    var heights: [UInt64?] = []
    for index in 0..<cluster.size { heights.append(await cluster.height(index)) }
    return heights
}
let baseline = (await heights()).compactMap { $0 }.max() ?? 0
var recommit: Double?
while recommit == nil && now() - lastFault < recommitLimit {
    if ((await heights()).compactMap { $0 }.max() ?? 0) > baseline { recommit = now() - lastFault }
    try await Task.sleep(for: .milliseconds(100))
}
var caughtUp: Double?
if recommit != nil {
    let target = baseline + 1
    while caughtUp == nil && now() - lastFault < catchUpLimit {
        if (await heights()).allSatisfy({ ($0 ?? 0) >= target }) { caughtUp = now() - lastFault }
        try await Task.sleep(for: .milliseconds(100))
    }
}
if let recommit {
    say(String(format: "committed again %.2f s after the last fault", recommit))
} else {
    violations.append("no new block within \(Int(recommitLimit)) s of the last fault")
}
if let caughtUp {
    say(String(format: "every node caught up %.2f s after the last fault", caughtUp))
} else if recommit != nil {
    violations.append("not every node caught up within \(Int(catchUpLimit)) s of the last fault")
}

if total - 15 > now() { try await Task.sleep(for: .seconds(total - 15 - now())) }
load.stop()
await loadTask.value
say(
    "load stopped: \(load.acknowledged.count) transactions acknowledged, \(load.resubmissions) answers missed and retried"
)

// Everything acknowledged is committed by now; take the height every node has reached and compare up to it.
var finalHeights = await heights()
let settle = now()
while finalHeights.contains(where: { $0 == nil }) && now() - settle < 30 {
    try await Task.sleep(for: .seconds(1))
    finalHeights = await heights()
}
let checkedHeight = finalHeights.compactMap { $0 }.min() ?? 0
say(
    "checking heights 1…\(checkedHeight) on every node (heights now \(finalHeights.map { $0.map(String.init) ?? "?" }))"
)
let (blocks, blockViolations) = await Invariants.identicalBlocks(cluster, upTo: checkedHeight)
violations += blockViolations
violations += Invariants.acknowledgedAreCommitted(
    load.acknowledged.filter { $0.height <= checkedHeight },
    blocks: blocks
)
let lateAcknowledged = load.acknowledged.filter { $0.height > checkedHeight }.count
if lateAcknowledged > 0 { violations.append("\(lateAcknowledged) acknowledged transactions above the checked height") }
violations += await Invariants.noEvidence(cluster)
cluster.stopAll()
let (journalLines, signingViolations) = Invariants.noConflictingSignatures(cluster)
violations += signingViolations
violations += Invariants.nothingCritical(cluster)
violations += cluster.crashes
fabric.tearDown()

let counts = Dictionary(grouping: schedule) { "\($0.fault)".split(separator: " ")[0] }.mapValues(\.count)
let busiest = load.perSecond.values.max() ?? 0
let quietest = (Int(faultsFrom)..<Int(faultsUntil)).map { load.perSecond[$0] ?? 0 }
var longestGap = 0
var gap = 0
for count in quietest {
    gap = count == 0 ? gap + 1 : 0
    longestGap = max(longestGap, gap)
}
emit("")
emit(
    "faults: \(schedule.count) (\(counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))"
)
emit(
    "load: \(load.acknowledged.count) transactions acknowledged (\(String(format: "%.1f", Double(load.acknowledged.count) / total))/s on average, "
        + "best second \(busiest)), \(load.resubmissions) answers missed and retried, "
        + "longest stretch with no acknowledgement during faults \(longestGap) s"
)
emit(
    "checked: \(checkedHeight) heights × \(cluster.size) nodes identical, \(journalLines) signing-journal lines, "
        + "recommit \(recommit.map { String(format: "%.2f s", $0) } ?? "none") (limit \(Int(recommitLimit)) s), "
        + "all caught up \(caughtUp.map { String(format: "%.2f s", $0) } ?? "never") (limit \(Int(catchUpLimit)) s)"
)
for violation in violations.prefix(50) { emit("violation: \(violation)") }
emit(
    "chaos: \(Int(minutes)) minutes, seed \(seed), \(schedule.count) faults, \(load.acknowledged.count) acknowledged, "
        + "\(checkedHeight) heights on \(cluster.size) nodes: \(violations.count) violations"
)
exit(violations.isEmpty ? 0 : 1)
