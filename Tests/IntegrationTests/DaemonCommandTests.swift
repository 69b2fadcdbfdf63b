import Foundation
import LedgerTestSupport
import Testing

/// `civicd` as an operator meets it: bad configuration or genesis gives one clear message naming the field,
/// exit status 2, and nothing written.
struct DaemonCommandTests {
    func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await HelperProcess.run("civicd", arguments)
    }

    @Test func badConfigurationOrGenesisIsNamedAndNothingIsTouched() async throws {
        let directory = TemporaryDirectory("civicd-cli")
        let created = try await run(["testnet", "--validators", "1", "--dir", directory.path])
        #expect(created.status == 0, "\(created.output)")
        let home = directory.path + "/node0"
        let config = home + "/config.toml"
        let original = try String(contentsOfFile: config, encoding: .utf8)

        try original.replacingOccurrences(of: "block_interval_ms = 250", with: "block_interval_ms = \"fast\"")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let badField = try await run(["start", "--home", home])
        #expect(badField.status == 2)
        #expect(badField.output.contains("consensus.block_interval_ms"), "\(badField.output)")
        #expect(badField.output.split(separator: "\n").count == 1, "one line: \(badField.output)")

        try original.write(toFile: config, atomically: true, encoding: .utf8)
        try "{\"chain_id\": \"civic-local\"}".write(
            toFile: directory.path + "/genesis.json",
            atomically: true,
            encoding: .utf8
        )
        let badGenesis = try await run(["start", "--home", home])
        #expect(badGenesis.status == 2)
        #expect(
            badGenesis.output.contains("genesis") && badGenesis.output.contains("crypto_suite"),
            "\(badGenesis.output)"
        )
        #expect(!FileManager.default.fileExists(atPath: home + "/data"), "a refused start wrote data")

        let again = try await run(["init", "--home", home, "--node-id", "110000"])
        #expect(again.status == 2 && again.output.contains("already exists"))
        #expect(try String(contentsOfFile: config, encoding: .utf8) == original)
    }
}
