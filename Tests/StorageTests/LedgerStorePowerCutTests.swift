import Foundation
import LedgerTestSupport
import Testing

/// The ledger store under a write-failure injector (`Tools/powercut/powercut.c`, loaded with LD_PRELOAD into
/// `crash-writer`): at a random write the power is cut — every file written since its last fsync is
/// truncated back to what was synced, and the writer is killed — or the disk starts failing every write and
/// sync with EIO. Every reopen must land on a consistent committed height, holding every commit the writer
/// acknowledged (`LedgerStoreCrashTests.crashRounds` checks each).
@Suite(.serialized)
struct LedgerStorePowerCutTests {
    static let rounds = Int(ProcessInfo.processInfo.environment["CIVIC_POWERCUT_ROUNDS"] ?? "") ?? 40

    /// The injector, compiled once for this run.
    static let shim: Result<String, ToolError> = {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Tools/powercut/powercut.c").standardized.path
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "civic-powercut-\(UUID().uuidString).so"
        ).path
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = ["cc", "-shared", "-fPIC", "-O2", "-o", output, source, "-ldl"]
        do {
            try compiler.run()
            compiler.waitUntilExit()
        } catch {
            return .failure(ToolError(description: "cannot run cc: \(error)"))
        }
        guard compiler.terminationStatus == 0 else {
            return .failure(ToolError(description: "cc could not build \(source)"))
        }
        return .success(output)
    }()

    struct ToolError: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the writer in `directory` under the injector, up to `maximumHeight`; returns the heights it
    /// acknowledged and how it ended. Waits on a thread of its own.
    static func runWriter(
        _ directory: String,
        maximumHeight: UInt64,
        mode: String,
        after writes: Int
    ) async throws -> WriterRun {
        try await onOwnThread {
            try runWriterBlocking(directory, maximumHeight: maximumHeight, mode: mode, after: writes)
        }
    }

    struct WriterRun: Sendable {
        let heights: [UInt64]
        let status: Int32
        let reason: Process.TerminationReason
    }

    private static func runWriterBlocking(
        _ directory: String,
        maximumHeight: UInt64,
        mode: String,
        after writes: Int
    ) throws -> WriterRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: KilledProcess.helper("crash-writer"))
        process.arguments = [directory, "\(maximumHeight)"]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = try shim.get()
        environment["CIVIC_POWERCUT_MODE"] = mode
        environment["CIVIC_POWERCUT_AFTER"] = "\(writes)"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let heights = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 3 && parts[0] == "committed" ? UInt64(parts[1]) : nil
        }
        return WriterRun(heights: heights, status: process.terminationStatus, reason: process.terminationReason)
    }

    @Test func everyReopenAfterAPowerCutLandsOnACommittedHeight() async throws {
        var random = SeededGenerator(seed: UInt64(Date().timeIntervalSince1970))
        var cuts = 0
        var reached: UInt64 = 0
        let (height, past) = try await LedgerStoreCrashTests.crashRounds(Self.rounds) { directory, _ in
            // About one write per block, many more when the memtable is flushed on open: a cut can land in
            // a commit, a flush or the writer's start.
            let run = try await Self.runWriter(
                directory,
                maximumHeight: reached + 40,
                mode: "cut",
                after: Int.random(in: 1...60, using: &random)
            )
            if run.reason == .uncaughtSignal && run.status == SIGKILL { cuts += 1 }
            reached = max(reached, run.heights.last ?? 0)
            return run.heights
        }
        #expect(cuts > Self.rounds / 2, "the power was cut in only \(cuts) of \(Self.rounds) rounds")
        print(
            "power-cut test: \(Self.rounds) rounds, \(cuts) cuts, reached height \(height), \(past) past the last acknowledgement"
        )
    }

    @Test func everyReopenAfterTheDiskFailsLandsOnACommittedHeight() async throws {
        var random = SeededGenerator(seed: UInt64(Date().timeIntervalSince1970) ^ 0xD15C)
        var failures = 0
        var reached: UInt64 = 0
        let (height, past) = try await LedgerStoreCrashTests.crashRounds(Self.rounds) { directory, _ in
            let run = try await Self.runWriter(
                directory,
                maximumHeight: reached + 40,
                mode: "fail",
                after: Int.random(in: 1...60, using: &random)
            )
            // The writer stops on its first failed commit with an error (exit 1), never a crash or a hang.
            if run.reason == .exit && run.status == 1 { failures += 1 }
            #expect(run.reason == .exit, "the writer died of signal \(run.status) when the disk failed")
            reached = max(reached, run.heights.last ?? 0)
            return run.heights
        }
        #expect(failures > Self.rounds / 2, "the disk failed in only \(failures) of \(Self.rounds) rounds")
        print(
            "disk-failure test: \(Self.rounds) rounds, \(failures) stopped by failed writes, reached height \(height), \(past) past the last acknowledgement"
        )
    }
}
