import CivicCommandLine
import Foundation
import LedgerCore
import Node

#if canImport(Glibc)
    import Glibc
#endif

/// The four `civicd start` processes: started in their fabric, killed, paused and resumed on the controller's
/// word. A process that ends when nobody killed it is a crash, counted as a violation.
final class Cluster: @unchecked Sendable {
    let directory: String
    let apis: [String]
    let size: Int
    private let civicd: String
    private let launchers: [[String]]
    private let lock = NSLock()
    private var processes: [Process?]
    private var paused: Set<Int> = []
    private var expectedExits: Set<Int32> = []
    private(set) var crashes: [String] = []

    /// Rewrites the homes `civicd testnet` made in `directory` for `fabric`: peer and API addresses, no API
    /// rate limit (the controller reads every block at the end), and a signing journal.
    init(directory: String, civicd: String, fabric: Fabric) throws {
        self.directory = directory
        self.civicd = civicd
        let homes = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix("node") && FileManager.default.fileExists(atPath: "\(directory)/\($0)/config.toml")
        }.sorted()
        size = homes.count
        var configurations = try homes.map { home in
            try NodeConfiguration.parse(String(contentsOfFile: "\(directory)/\(home)/config.toml", encoding: .utf8))
        }
        let ports = configurations.map { $0.p2pListen.split(separator: ":").last.map(String.init) ?? "" }
        for index in configurations.indices {
            configurations[index].p2pListen = "\(fabric.peerHost(index)):\(ports[index])"
            configurations[index].peers = [:]
            for other in configurations.indices where other != index {
                configurations[index].peers[configurations[other].nodeID] = "\(fabric.peerHost(other)):\(ports[other])"
            }
            let apiPort = configurations[index].apiListen.split(separator: ":").last.map(String.init) ?? ""
            configurations[index].apiListen = "\(fabric.apiHost(index)):\(apiPort)"
            configurations[index].apiRateLimit = 0
            configurations[index].signingJournal = true
            try configurations[index].toml.write(
                toFile: "\(directory)/node\(index)/config.toml",
                atomically: true,
                encoding: .utf8
            )
        }
        apis = configurations.map { "http://" + $0.apiListen }
        launchers = (0..<size).map { fabric.launcher($0) }
        processes = Array(repeating: nil, count: size)
    }

    func logPath(_ index: Int) -> String { "\(directory)/node\(index).log" }
    func journalPath(_ index: Int) -> String { "\(directory)/node\(index)/data/signing-journal" }

    func start(_ index: Int) throws {
        let process = Process()
        let command = launchers[index] + [civicd, "start", "--home", "\(directory)/node\(index)"]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if !FileManager.default.fileExists(atPath: logPath(index)) {
            _ = FileManager.default.createFile(atPath: logPath(index), contents: nil)
        }
        let log = FileHandle(forWritingAtPath: logPath(index))
        log?.seekToEndOfFile()
        process.standardOutput = log ?? FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        process.terminationHandler = { [weak self] ended in self?.ended(ended, node: index) }
        try process.run()
        lock.withLock { processes[index] = process }
    }

    private func ended(_ process: Process, node: Int) {
        lock.withLock {
            if expectedExits.remove(process.processIdentifier) == nil {
                crashes.append("node\(node) exited by itself with status \(process.terminationStatus)")
            }
        }
    }

    /// SIGKILL, waiting for the process to be gone.
    func kill(_ index: Int) {
        guard
            let process = lock.withLock({ () -> Process? in
                let process = processes[index]
                processes[index] = nil
                paused.remove(index)
                if let process { expectedExits.insert(process.processIdentifier) }
                return process
            })
        else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func pause(_ index: Int) {
        lock.withLock {
            guard let process = processes[index] else { return }
            Glibc.kill(process.processIdentifier, SIGSTOP)
            paused.insert(index)
        }
    }

    func resume(_ index: Int) {
        lock.withLock {
            guard let process = processes[index], paused.remove(index) != nil else { return }
            Glibc.kill(process.processIdentifier, SIGCONT)
        }
    }

    /// Whether the node's process runs and is not paused: where the load sends its transactions.
    func isServing(_ index: Int) -> Bool {
        lock.withLock { processes[index] != nil && !paused.contains(index) }
    }

    /// Stops every process: SIGCONT then SIGTERM (a clean stop), SIGKILL after 10 s.
    func stopAll() {
        let running = lock.withLock { () -> [Process] in
            let running = processes.compactMap { $0 }
            for process in running { expectedExits.insert(process.processIdentifier) }
            processes = Array(repeating: nil, count: size)
            return running
        }
        for process in running {
            Glibc.kill(process.processIdentifier, SIGCONT)
            Glibc.kill(process.processIdentifier, SIGTERM)
        }
        let deadline = Date().addingTimeInterval(10)
        for process in running {
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    // MARK: - API

    func json(_ index: Int, _ path: String, timeout: Double = 5) async -> JSONValue? {
        await APIRequest.json(apis[index] + path, timeout: timeout)
    }

    func height(_ index: Int) async -> UInt64? {
        guard case .integer(let height)? = await json(index, "/v1/status")?["height"] else { return nil }
        return UInt64(height)
    }
}
