import Foundation
import LedgerTestSupport
import Testing

/// The worked examples in `docs/examples/` are run, command by command, against a real four-node network, so
/// the docs cannot rot (`docs/examples/README.md`). A command is a line `$ …` in a ```console block; it must
/// exit 0 unless the line ends with `# exit N`. An output line shown in the doc that starts with ✓ or ✗ must
/// appear in the real output with the same mark and first word (the verdict, or the check's name).
@Suite(.serialized) struct WorkedExampleTests {
    struct Command {
        let text: String
        let expectedStatus: Int32
        let marks: [String]
        let line: Int
    }

    static let examples = ["department.md", "charity.md", "auditor.md", "verifier.md"]

    static var docs: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/examples")
    }

    /// The commands of one example, in order.
    static func commands(in text: String) -> [Command] {
        var commands: [Command] = []
        var inConsole = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                inConsole = !inConsole && line.hasPrefix("```console")
                continue
            }
            guard inConsole else { continue }
            if line.hasPrefix("$ ") {
                var command = String(line.dropFirst(2))
                var status: Int32 = 0
                if let range = command.range(of: "  # exit ") {
                    status = Int32(command[range.upperBound...].prefix { $0.isNumber }) ?? -1
                    command = String(command[..<range.lowerBound])
                }
                commands.append(Command(text: command, expectedStatus: status, marks: [], line: index + 1))
            } else if let last = commands.popLast() {
                let shown = line.trimmingCharacters(in: .whitespaces)
                let marks = (shown.hasPrefix("✓ ") || shown.hasPrefix("✗ ")) ? [Self.mark(shown)] : []
                commands.append(
                    Command(
                        text: last.text,
                        expectedStatus: last.expectedStatus,
                        marks: last.marks + marks,
                        line: last.line
                    )
                )
            }
        }
        return commands
    }

    /// "✓ VALID: …" → "✓ VALID", "✓ chain   the …" → "✓ chain".
    static func mark(_ line: String) -> String {
        let words = line.split(separator: " ", maxSplits: 2)
        return words.prefix(2).joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ":"))
    }

    @Test func theParserFindsCommandsStatusesAndMarks() {
        let text = """
            ```console
            $ civic verify --receipt r.json  # exit 1
            ✗ NOT VALID: revoked
              ✓ chain               the evidence …
            ```
            ```sh
            $ not a command
            ```
            """
        let commands = Self.commands(in: text)
        #expect(commands.count == 1)
        #expect(commands.first?.text == "civic verify --receipt r.json" && commands.first?.expectedStatus == 1)
        #expect(commands.first?.marks == ["✗ NOT", "✓ chain"])
    }

    @Test func everyCommandInTheWorkedExamplesRunsAsDocumented() async throws {
        let network = try await ProcessNetwork(validators: 4)
        try network.startAll()
        let ready = await eventually {
            let height = await network.height(0) ?? 0
            let peers = await network.peers(0)
            return height >= 2 && peers == 3
        }
        #expect(ready, "the network did not start")
        let scratch = TemporaryDirectory("civic-examples")
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let bin = URL(fileURLWithPath: KilledProcess.helper("civic")).deletingLastPathComponent().path
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["NET"] = network.directory.path
        for (index, api) in network.apis.enumerated() { environment[index == 0 ? "NODE" : "NODE\(index + 1)"] = api }
        var total = 0
        for example in Self.examples {
            let text = try String(contentsOf: Self.docs.appendingPathComponent(example), encoding: .utf8)
            let commands = Self.commands(in: text)
            #expect(!commands.isEmpty, "\(example) has no commands")
            // One shell per example, so variables set by one command serve the next.
            // Never run anywhere else: a failed `cd` once left every file of the examples in the checkout.
            var script = "cd '\(scratch.path)' || exit 97\n"
            for (number, command) in commands.enumerated() {
                script += "{ \(command.text)\n} > out.\(number) 2> err.\(number); echo $? > status.\(number)\n"
            }
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/bash")
            shell.arguments = ["-c", script]
            shell.environment = environment
            try shell.run()
            try await onOwnThread { shell.waitUntilExit() }
            #expect(shell.terminationStatus != 97, "could not enter \(scratch.path)")
            for (number, command) in commands.enumerated() {
                func read(_ name: String) -> String {
                    (try? String(contentsOfFile: "\(scratch.path)/\(name).\(number)", encoding: .utf8)) ?? ""
                }
                let status = Int32(read("status").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                let output = read("out")
                #expect(
                    status == command.expectedStatus,
                    "\(example):\(command.line): `\(command.text)` exited \(status), not \(command.expectedStatus)\n\(output)\(read("err"))"
                )
                let actual = Set(
                    output.split(separator: "\n").map { Self.mark($0.trimmingCharacters(in: .whitespaces)) }
                )
                for mark in command.marks {
                    #expect(
                        actual.contains(mark),
                        "\(example):\(command.line): the output lacks \"\(mark)\"\n\(output)"
                    )
                }
                total += 1
            }
        }
        #expect(total >= 20)
    }
}
