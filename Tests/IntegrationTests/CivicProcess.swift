import Foundation
import LedgerTestSupport

/// Runs the built `civic` in `directory`, standard output and error together, and waits for it (on a thread
/// of its own).
enum CivicProcess {
    static func run(_ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
        try await onOwnThread { try runBlocking(arguments, in: directory) }
    }

    private static func runBlocking(
        _ arguments: [String],
        in directory: String
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: KilledProcess.helper("civic"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
