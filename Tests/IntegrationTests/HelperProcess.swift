import Foundation
import LedgerTestSupport

/// Runs a helper executable built beside the tests (`civic`, `civicd`), in `directory` if given, standard
/// output and error together, and waits for it (on a thread of its own).
enum HelperProcess {
    static func run(
        _ helper: String,
        _ arguments: [String],
        in directory: String? = nil
    ) async throws -> (status: Int32, output: String) {
        try await onOwnThread { try runBlocking(helper, arguments, in: directory) }
    }

    private static func runBlocking(
        _ helper: String,
        _ arguments: [String],
        in directory: String?
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: KilledProcess.helper(helper))
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
