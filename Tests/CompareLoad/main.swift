// Closed-loop durable writes against etcd or CivicLedger, for `Tools/compare-etcd.sh` (docs/benchmarks.md):
// CLIENTS clients, each on its own keep-alive connection, write, wait for the durable commit and write again,
// for SECONDS seconds after a 3-second warm-up. An etcd write is a `put` through the v3 HTTP gateway
// (acknowledged once a majority has it in its fsynced raft log); a CivicLedger write is one signed certificate anchor sent with `?wait`
// (acknowledged once a block holding it is committed — synced to RocksDB with its commit certificate). Every
// etcd value is a signed CivicLedger transaction of the same size, so both store the same bytes per write.
// Prints one line: `SYSTEM: N writes in T s = W writes/s; latency p50 X ms, p99 Y ms; E errors; B bytes a write`.
//   compare-load etcd URL[,URL…] CLIENTS SECONDS NETWORK-DIR
//   compare-load civic URL[,URL…] CLIENTS SECONDS NETWORK-DIR
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import NIOPosix

let arguments = CommandLine.arguments
guard arguments.count == 6, ["etcd", "civic"].contains(arguments[1]), let clients = Int(arguments[3]), clients > 0,
    let seconds = Double(arguments[4]), seconds > 0
else {
    print("usage: compare-load etcd|civic URL[,URL…] CLIENTS SECONDS NETWORK-DIR")
    exit(2)
}
let system = arguments[1]
let targets = arguments[2].split(separator: ",").map(String.init)
let network = try TestnetDirectory(arguments[5])
let genesis = network.genesis
let hash = genesis.suite.suite.hashFunction
let accounts = network.departmentAccounts
let issuers = network.departmentIssuers
let signedFor = genesis.network

let group = MultiThreadedEventLoopGroup.singleton

/// The next sequence of each account, read once; client `c` of `clients` writes with account `c % accounts`
/// and takes every `clients / accounts`-th sequence from its own offset, so the clients of one account
/// interleave without ever choosing the same sequence (the mempool holds early arrivals until the gap fills).
var readBases: [UInt64] = []
for account in accounts where system == "civic" {
    guard let response = try? await APIRequest.send("GET", targets[0] + "/v1/accounts/\(account.publicKey.hex)"),
        let document = try? JSONParser.parse(response.body), case .integer(let next)? = document["next_sequence"]
    else {
        print("compare-load: cannot read the accounts' sequences from \(targets[0])")
        exit(1)
    }
    readBases.append(UInt64(next))
}
let bases = readBases
let perAccount = (clients + accounts.count - 1) / accounts.count
let run = UInt64(Date().timeIntervalSince1970 * 1000)

func transaction(client: Int, round: Int) throws -> SignedTransaction {
    let account = client % accounts.count
    let sequence = (bases.isEmpty ? 0 : bases[account]) + UInt64(client / accounts.count + round * perAccount)
    return try SignedTransaction(
        signing: Transaction(
            chainID: genesis.chainID,
            sender: accounts[account].publicKey.bytes,
            sequence: sequence,
            payload: .certificateAnchor(
                CertificateAnchor(
                    certificate: CertificateRef(
                        issuer: issuers[account],
                        key: hash.hash(utf8: "compare \(run) client \(client) round \(round)")
                    ),
                    documentCommitment: hash.hash(utf8: "compare \(run) document \(client) round \(round)"),
                    kind: .marriage
                )
            )
        ),
        with: accounts[account],
        for: signedFor
    )
}

/// One durable write over the client's connection; true once it is acknowledged as committed.
func write(client: Int, round: Int, over connection: KeepAliveConnection) async throws -> Bool {
    let signed = try transaction(client: client, round: round)
    if system == "etcd" {
        let key = Data("compare/\(run)/\(client)/\(round)".utf8).base64EncodedString()
        let value = Data(signed.canonicalBytes).base64EncodedString()
        let body = Array("{\"key\":\"\(key)\",\"value\":\"\(value)\"}".utf8)
        let (status, response) = try await connection.post("/v3/kv/put", body: body, contentType: "application/json")
        return status == 200 && (try? JSONParser.parse(response))?["header"] != nil
    }
    let (status, response) = try await connection.post(
        "/v1/txs?wait=60",
        body: signed.canonicalBytes,
        contentType: "application/octet-stream"
    )
    return status == 200 && (try? JSONParser.parse(response))?["status"] == .string("committed")
}

final class Tally: @unchecked Sendable {
    let lock = NSLock()
    var latencies: [Double] = []
    var errors = 0
}
let tally = Tally()
let start = Date()
let warmUp = 3.0
let end = start.addingTimeInterval(warmUp + seconds)
await withTaskGroup(of: Void.self) { tasks in
    for client in 0..<clients {
        tasks.addTask {
            let authority = String(targets[client % targets.count].dropFirst("http://".count))
            var connection: KeepAliveConnection?
            var round = 0
            while Date() < end {
                let sent = Date()
                var ok = false
                do {
                    if connection == nil {
                        connection = try await KeepAliveConnection.connect(to: authority, group: group)
                    }
                    // A lost answer is retried with the same signed bytes: a retry never skips a sequence.
                    if let open = connection { ok = try await write(client: client, round: round, over: open) }
                } catch {
                    await connection?.close()
                    connection = nil
                    try? await Task.sleep(for: .milliseconds(100))
                    if system == "civic" { continue }
                }
                round += 1
                // Only writes started after the warm-up and finished before the end count.
                guard sent.timeIntervalSince(start) >= warmUp, Date() <= end else { continue }
                tally.lock.withLock {
                    if ok { tally.latencies.append(Date().timeIntervalSince(sent)) } else { tally.errors += 1 }
                }
            }
            await connection?.close()
        }
    }
}
let latencies = tally.latencies.sorted()
func percentile(_ p: Double) -> Double {
    latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000
}
print(
    String(
        format: "%@: %d writes in %.0f s = %.0f writes/s; latency p50 %.1f ms, p99 %.1f ms; %d errors; "
            + "%d bytes a write",
        system,
        latencies.count,
        seconds,
        Double(latencies.count) / seconds,
        percentile(0.5),
        percentile(0.99),
        tally.errors,
        (try? transaction(client: 0, round: 0).canonicalBytes.count) ?? 0
    )
)
