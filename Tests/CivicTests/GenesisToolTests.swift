import Foundation
import LedgerCore
import Testing

/// The genesis walkthrough of `Genesis/README.md`, run for real (through `Genesis/make-example.sh`, which
/// performs its steps), and the example against the JSON Schema with an outside validator.
@Suite(.serialized)
struct GenesisToolTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    @Test func walkthroughBuildsAValidGenesis() async throws {
        let scratch = try Scratch()
        // The test runner holds the build lock, so hand the script the civicd it already built.
        let result = try await CLIRunner.run(
            "/usr/bin/env",
            [
                "CIVICD=" + CLIRunner.productsDirectory.appendingPathComponent("civicd").path,
                Self.root.appendingPathComponent("Genesis/make-example.sh").path, scratch.url.path,
            ]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("genesis OK") && result.stdout.contains("6 (4 validators, total power 40)"))
        let genesis = try Genesis.parse(
            json: Array(try Data(contentsOf: scratch.url.appendingPathComponent("genesis.json")))
        )
        #expect(genesis.members.count == 6)
        let mode =
            try FileManager.default.attributesOfItem(atPath: scratch.path("keys/440000-account.key"))[.posixPermissions]
            as? Int
        #expect(mode == 0o600)
    }

    @Test func exampleMatchesTheSchema() async throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); document = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.validate(document, schema)
            broken = dict(document); broken["surprise"] = 1
            try:
                jsonschema.validate(broken, schema); sys.exit(3)
            except jsonschema.ValidationError:
                print("schema ok")
            """
        let result = try await CLIRunner.tool(
            "python3",
            [
                "-c", script, Self.root.appendingPathComponent("Genesis/genesis.schema.json").path,
                Self.root.appendingPathComponent("Genesis/example-consortium.json").path,
            ]
        )
        #expect(result.status == 0 && result.stdout.contains("schema ok"), "\(result.stderr)")
    }

    @Test func validateReportsEveryProblemAndExitsOne() async throws {
        let scratch = try Scratch()
        let text = try String(
            contentsOf: Self.root.appendingPathComponent("Genesis/example-consortium.json"),
            encoding: .utf8
        )
        .replacingOccurrences(of: "\"power\": 10", with: "\"power\": 0")
        .replacingOccurrences(of: "\"civic-example-1\"", with: "\"Civic Example\"")
        let file = try scratch.write("broken.json", text)
        let result = try await CLIRunner.run(
            CLIRunner.productsDirectory.appendingPathComponent("civicd").path,
            ["genesis", "validate", file]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("$.chain_id") && result.stderr.contains("$.members[3].validator.power"))
        let missing = try await CLIRunner.run(
            CLIRunner.productsDirectory.appendingPathComponent("civicd").path,
            ["genesis", "validate", "/nope"]
        )
        #expect(missing.status == 2)
    }
}
