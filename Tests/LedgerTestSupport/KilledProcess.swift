import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a helper executable built next to the test bundle and kills it with SIGKILL, for the crash tests.
public enum KilledProcess {
    /// The path of helper executable `name` (built by the same `swift build`).
    public static func helper(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// When a kill's delay starts: at the start (the kill may land while the helper opens and recovers), or
    /// at its first line of output (it lands in the work itself however slowly a loaded machine starts it).
    public enum KillClock: Sendable {
        case fromStart
        case fromFirstOutput
    }

    /// Runs `executable` with `arguments`, kills it `milliseconds` after `clock` (nil: lets it finish), and
    /// returns everything it wrote to standard output. Waits on a thread of its own, not the test's.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        killAfter milliseconds: Int?,
        counting clock: KillClock = .fromStart
    ) async throws -> String {
        try await onOwnThread { try runBlocking(executable, arguments, killAfter: milliseconds, counting: clock) }
    }

    private static func runBlocking(
        _ executable: String,
        _ arguments: [String],
        killAfter milliseconds: Int?,
        counting clock: KillClock
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Read while it runs, so a full pipe never blocks the helper.
        let collected = Collected()
        let spoke = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let handle = output.fileHandleForReading
        DispatchQueue.global().async {
            var data = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                if data.isEmpty { spoke.signal() }
                data.append(chunk)
            }
            if data.isEmpty { spoke.signal() }
            collected.data = data
            done.signal()
        }
        if let milliseconds {
            // A helper that never speaks is killed a minute in; the test's own checks then say what it missed.
            if clock == .fromFirstOutput { _ = spoke.wait(timeout: .now() + 60) }
            usleep(useconds_t(milliseconds * 1000))
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        done.wait()
        return String(decoding: collected.data, as: UTF8.self)
    }
}

/// The output of one run, handed from the reading thread (the semaphore orders the accesses).
private final class Collected: @unchecked Sendable {
    var data = Data()
}
