import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A local network of real `civicd start` processes made by `civicd testnet`, on 127.0.0.1 with the ports
/// it picked. Every process is stopped (SIGKILL) when the value goes away.
final class ProcessNetwork {
    let directory = TemporaryDirectory("civic-processes")
    let size: Int
    private(set) var processes: [Process?]
    let genesis: Genesis
    private(set) var apis: [String]
    /// Sequences used so far per account, for tests that sign as they go.
    var nextSequences: [String: UInt64] = [:]

    init(validators: Int, suite: CryptoSuiteID = .secp256k1SHA256) async throws {
        size = validators
        let civicd = KilledProcess.helper("civicd")
        let result = try await KilledProcess.run(
            civicd,
            [
                "testnet", "--validators", "\(validators)", "--dir", directory.path, "--block-interval-ms", "100",
                "--suite", suite.rawValue,
            ],
            killAfter: nil
        )
        guard result.contains("created") else { throw InputError(message: "civicd testnet failed: \(result)") }
        genesis = try Genesis.parse(
            json: Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/genesis.json")))
        )
        let root = directory.path
        apis = try (0..<validators).map { index in
            let config = try String(contentsOfFile: "\(root)/node\(index)/config.toml", encoding: .utf8)
            let lines = config.split(separator: "\n").map(String.init)
            guard let api = lines.firstIndex(of: "[api]"),
                let listen = lines[api...].first(where: { $0.hasPrefix("listen = ") })
            else { throw InputError(message: "no api listen in node\(index)") }
            return "http://" + listen.dropFirst("listen = \"".count).dropLast()
        }
        processes = Array(repeating: nil, count: validators)
    }

    deinit {
        for process in processes.compactMap({ $0 }) where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Sets `field` (a key unique in the file, such as `idle_timeout_s`) in node `index`'s config.toml,
    /// before it starts.
    func configure(_ index: Int, _ field: String, _ value: String) throws {
        let path = "\(directory.path)/node\(index)/config.toml"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        guard lines.contains(where: { $0.hasPrefix(field + " = ") }) else {
            throw InputError(message: "node\(index)/config.toml has no \(field)")
        }
        let edited = lines.map { $0.hasPrefix(field + " = ") ? "\(field) = \(value)" : String($0) }
        try edited.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The process id of node `index`, while it runs.
    func processID(_ index: Int) -> Int32? { processes[index].map(\.processIdentifier) }

    func start(_ index: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: KilledProcess.helper("civicd"))
        process.arguments = ["start", "--home", "\(directory.path)/node\(index)"]
        let log =
            FileHandle(forWritingAtPath: logPath(index))
            ?? {
                _ = FileManager.default.createFile(atPath: logPath(index), contents: nil)
                return FileHandle(forWritingAtPath: logPath(index))
            }()
        log?.seekToEndOfFile()
        process.standardOutput = log ?? FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        try process.run()
        processes[index] = process
    }

    func startAll() throws { for index in 0..<size { try start(index) } }

    /// Takes in a node home made outside `civicd testnet` (`DIR/node<index>`, the next index), answering on
    /// `api`; returns its index.
    func adopt(api: String) -> Int {
        apis.append(api)
        processes.append(nil)
        return apis.count - 1
    }

    func logPath(_ index: Int) -> String { "\(directory.path)/node\(index).log" }

    /// Sends `signal` and waits (on a thread of its own) for the process to end.
    func stop(_ index: Int, signal: Int32 = SIGKILL) async {
        guard let process = processes[index] else { return }
        kill(process.processIdentifier, signal)
        _ = try? await onOwnThread { process.waitUntilExit() }
        processes[index] = nil
    }

    func account(_ name: String) throws -> PrivateKey {
        try KeyFile.read(from: "\(directory.path)/accounts/\(name).key")
    }

    // MARK: - API

    func json(_ index: Int, _ path: String) async -> JSONValue? {
        await APIRequest.json(apis[index] + path, timeout: 5)
    }

    func height(_ index: Int) async -> UInt64? {
        guard case .integer(let height)? = await json(index, "/v1/status")?["height"] else { return nil }
        return UInt64(height)
    }

    func block(_ index: Int, _ height: UInt64) async -> (hash: String, stateRoot: String)? {
        guard let document = await json(index, "/v1/blocks/\(height)"), case .string(let hash)? = document["hash"],
            case .string(let root)? = document["state_root"]
        else { return nil }
        return (hash, root)
    }

    func committed(_ index: Int, _ hash: Digest) async -> Bool {
        guard case .string(let status)? = await json(index, "/v1/txs/\(hash.hex)")?["status"] else { return false }
        return status == "committed"
    }

    /// How many peers node `index` has (-1 when it does not answer).
    func peers(_ index: Int) async -> Int64 {
        guard case .integer(let count)? = await json(index, "/v1/status")?["peers"] else { return -1 }
        return count
    }

    /// A transaction from `name`'s account with that account's next sequence (counted in `nextSequences`).
    func signed(_ payload: TransactionPayload, by name: String) throws -> SignedTransaction {
        let key = try account(name)
        let sequence = nextSequences[name, default: 0]
        nextSequences[name] = sequence + 1
        return try SignedTransaction.signed(payload, sequence: sequence, by: key, on: genesis)
    }

    /// Posts signed transactions to node `index`; returns how many were accepted.
    func submit(_ transactions: [SignedTransaction], to index: Int) async -> Int {
        var accepted = 0
        for transaction in transactions {
            let response = try? await APIRequest.send(
                "POST",
                apis[index] + "/v1/txs",
                body: transaction.canonicalBytes,
                contentType: "application/octet-stream",
                timeout: 10
            )
            if response?.status == 202 { accepted += 1 }
        }
        return accepted
    }

    /// Certificate anchors from `name`'s account with sequences from `first`.
    func anchors(_ count: Int, from name: String, first: UInt64, label: String) throws -> [SignedTransaction] {
        let key = try account(name)
        guard let issuer = genesis.member(holding: key.publicKey.bytes)?.id else {
            throw InputError(message: "account \(name) is no genesis member's")
        }
        return try (0..<count).map { index in
            let transaction = Transaction(
                chainID: genesis.chainID,
                sender: key.publicKey.bytes,
                sequence: first + UInt64(index),
                payload: Payloads.anchor("\(label)-\(index)", issuer: issuer)
            )
            return try SignedTransaction(signing: transaction, with: key, for: genesis.network)
        }
    }

    /// Waits until node `index` answers with a height of `target` or more, for as long as its height moves
    /// (`eventually`).
    func reach(_ index: Int, _ target: UInt64) async -> Bool {
        await eventually(progress: { min(await self.height(index) ?? 0, target) }) {
            await self.height(index) ?? 0 >= target
        }
    }

    /// Waits until the nodes `indices` report every one of `ids` committed, for as long as more of them commit.
    /// Each node's count is the prefix of `ids` it holds; committed stays committed, so a poll resumes where the
    /// last one stopped instead of asking for every id again.
    func commit(_ ids: [Digest], on indices: [Int]) async -> Bool {
        var held = [Int](repeating: 0, count: indices.count)
        return await eventually(
            progress: {
                for (slot, index) in indices.enumerated() {
                    while held[slot] < ids.count, await committed(index, ids[held[slot]]) { held[slot] += 1 }
                }
                return held
            },
            { held.allSatisfy { $0 == ids.count } }
        )
    }

    func commit(_ transactions: [SignedTransaction], on indices: [Int]) async -> Bool {
        await commit(transactions.map { $0.id(hash: genesis.suite.suite.hashFunction) }, on: indices)
    }

    /// True when the running nodes `indices` hold identical blocks and state roots at every height from 1 to the
    /// lowest height among them, which it returns. Blocks chain by hash — each header names its predecessor's,
    /// and holds its state root — so the same block hash at that height means the same blocks and roots at every
    /// height below: one request per node, where one per height per node took half an hour at 13,000 heights
    /// beside CPU hogs.
    func identical(_ indices: [Int]) async -> (Bool, UInt64) {
        var heights: [UInt64] = []
        for index in indices { heights.append(await height(index) ?? 0) }
        let common = heights.min() ?? 0
        guard common > 0 else { return (false, 0) }
        var seen: Set<String> = []
        for index in indices {
            guard let block = await block(index, common) else { return (false, common) }
            seen.insert(block.hash + block.stateRoot)
        }
        return (seen.count == 1, common)
    }
}
