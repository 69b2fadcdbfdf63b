import Foundation
import LedgerCore
import Testing

/// `civic verify` against every known-answer receipt vector of `docs/vectors/receipts/` (issue 17, point 3):
/// the verdict, exit status, status and first failed check each vector names. The vectors are committed
/// files, so the docs cannot drift from the code; `Web/verify` runs the page's verifier on the same files.
struct ReceiptVectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/vectors/receipts")

    struct Vector {
        let name: String
        let arguments: [String]
        let expected: JSONValue
    }

    static func vectors() throws -> [Vector] {
        let index = try JSONParser.parse(Array(try Data(contentsOf: root.appendingPathComponent("index.json"))))
        guard case .array(let vectors)? = index["vectors"], index["format"] == .string("civicledger-receipt-vectors/1")
        else { throw CocoaError(.fileReadCorruptFile) }
        return try vectors.map { vector in
            func path(_ value: JSONValue?) throws -> String {
                guard case .string(let relative)? = value else { throw CocoaError(.fileReadCorruptFile) }
                return root.appendingPathComponent(relative).path
            }
            guard case .string(let name)? = vector["name"], case .array(let checkpoints)? = vector["checkpoints"],
                let question = vector["question"], let expected = vector["expected"]
            else { throw CocoaError(.fileReadCorruptFile) }
            var arguments = ["verify", "--json", "--genesis", try path(vector["genesis"])]
            arguments += ["--receipt", try path(vector["receipt"])]
            for checkpoint in checkpoints { arguments += ["--checkpoint", try path(checkpoint)] }
            switch question["kind"] {
            case .string("certificate"):
                guard case .string(let number)? = question["number"], case .string(let code)? = question["code"] else {
                    throw CocoaError(.fileReadCorruptFile)
                }
                arguments += ["--file", try path(question["file"]), "--number", number, "--code", code]
            case .string("document"):
                arguments += ["--file", try path(question["file"])]
            case .string("transaction"):
                if case .string(let tx)? = question["tx"] { arguments += ["--tx", tx] }
            default: throw CocoaError(.fileReadCorruptFile)
            }
            return Vector(name: name, arguments: arguments, expected: expected)
        }
    }

    @Test func civicVerifyGivesEveryVectorsVerdict() async throws {
        let vectors = try Self.vectors()
        // Both suites, every kind of receipt, and each verdict: a file that lost vectors fails here.
        #expect(vectors.count >= 50)
        for kind in ["valid", "not_valid", "could_not_check"] {
            #expect(vectors.contains { $0.expected["verdict"] == .string(kind) })
        }
        for vector in vectors {
            let result = try await CLIRunner.run(CLIRunner.civic, vector.arguments)
            // try?: output that is not JSON has no report; the comparison below then fails with the output shown.
            let report = try? JSONParser.parse(Array(result.stdout.utf8))
            let checks: [JSONValue]
            if case .array(let values)? = report?["checks"] { checks = values } else { checks = [] }
            let failed = checks.first { $0["passed"] == .bool(false) }?["name"] ?? .null
            let got = JSONValue.object([
                JSONMember("verdict", report?["verdict"] ?? .null),
                JSONMember("exit", .integer(Int64(result.status))),
                JSONMember("status", report?["status"] ?? .null),
                JSONMember("failed_check", failed),
            ])
            #expect(
                got.ignoringKeyOrder == vector.expected.ignoringKeyOrder,
                "\(vector.name): got \(got.serialized(pretty: false)), expected \(vector.expected.serialized(pretty: false)); \(result.stderr)"
            )
        }
    }
}
