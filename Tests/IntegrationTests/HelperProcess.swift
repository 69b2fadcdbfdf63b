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
        try await onOwnThread { try runBlocking(KilledProcess.helper(helper), arguments, in: directory) }
    }

    /// Runs a tool that `Tools/setup.sh` installs (`zbarimg`), from `/usr/bin`: its standard output only.
    static func tool(_ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await onOwnThread { try runBlocking("/usr/bin/" + name, arguments, in: nil, errors: false) }
    }

    private static func runBlocking(
        _ executable: String,
        _ arguments: [String],
        in directory: String?,
        errors: Bool = true
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = errors ? pipe : FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
