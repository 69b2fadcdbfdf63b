import Foundation
import LedgerTestSupport

/// Runs the built `civic` binary and other command-line tools, capturing output and exit status.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CLIRunner {
    /// The directory holding the test bundle also holds the package's executables.
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static var civic: String { productsDirectory.appendingPathComponent("civic").path }

    /// Runs `executable` to its end, waiting on a thread of its own.
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil) async throws -> CLIResult {
        try await onOwnThread { try runBlocking(executable, arguments, stdin: stdin) }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], stdin: [UInt8]?) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        // Standard error goes to a file: two pipes read one after the other would stall a child that fills
        // the second while the first is still being read.
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("civic-cli-\(UUID().uuidString)")
            .path
        guard FileManager.default.createFile(atPath: errPath, contents: nil),
            let err = FileHandle(forWritingAtPath: errPath)
        else { throw CocoaError(.fileWriteUnknown) }
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        try err.close()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return CLIResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    static func civic(_ arguments: String..., stdin: [UInt8]? = nil) async throws -> CLIResult {
        try await run(civic, arguments, stdin: stdin)
    }

    /// Runs a tool found on PATH (sha256sum, openssl).
    static func tool(_ name: String, _ arguments: [String]) async throws -> CLIResult {
        try await run("/usr/bin/env", [name] + arguments)
    }
}

/// A temporary directory removed when the value goes away.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ content: String) throws -> String {
        let file = path(name)
        try content.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}
