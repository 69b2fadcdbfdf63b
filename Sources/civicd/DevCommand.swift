import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Node

/// `civicd dev --home DIR`: a one-validator network for integrators, created on first use.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a single-validator development network (created in DIR on first use).",
        discussion: """
            The one member has every role (validator, registrar, payer, charity); its account key is
            DIR/accounts/dev.key. Blocks follow each other every 100 ms. Not for production: one node has
            no fault tolerance.
            """
    )

    @Option(help: "Directory of the development network.")
    var home: String

    @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3.")
    var suite: CryptoSuiteID = .secp256k1SHA256

    func run() async throws {
        let nodeHome = home + "/node0"
        if !FileManager.default.fileExists(atPath: nodeHome + "/config.toml") {
            // try?: a home that does not exist yet is empty; one that cannot be read fails at creation below.
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: home)) ?? []
            guard existing.isEmpty else { throw InputError(message: "\(home) is not empty and holds no dev network") }
            let created = try LocalNetworkLayout.create(
                in: home,
                departments: 1,
                suite: suite,
                blockInterval: 100,
                extraRoles: [.charity],
                charity: false
            )
            try FileManager.default.moveItem(atPath: home + "/accounts/beijing.key", toPath: home + "/accounts/dev.key")
            print("created a development network in \(home): account key \(home)/accounts/dev.key")
            _ = created
        }
        try await NodeRunner.run(home: nodeHome)
    }
}

/// `civicd status`: a node's status from its API.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a node's status (height, peers, catching up) from its HTTP API."
    )

    @Option(help: "The node's API, e.g. http://127.0.0.1:8080.")
    var node: String?

    @Option(help: "A node home: its config.toml names the API address.")
    var home: String?

    @Flag(help: "Print the JSON as the node sent it.")
    var json = false

    func run() async throws {
        let base: String
        if let node {
            base = node
        } else if let home {
            do { base = "http://" + (try NodeHome(home).load().configuration.apiListen) } catch {
                throw InputError(message: "\(error)")
            }
        } else {
            throw InputError(message: "give --node URL or --home DIR")
        }
        let response = try await APIRequest.send("GET", base + "/v1/status")
        // try?: a body that is not JSON is reported with the body itself.
        guard response.status == 200, let document = try? JSONParser.parse(response.body) else {
            throw InputError(
                message: "\(base) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))"
            )
        }
        if json {
            print(document.serialized())
            return
        }
        func field(_ name: String) -> String {
            switch document[name] {
            case .string(let text)?: return text
            case .integer(let value)?: return "\(value)"
            case .bool(let value)?: return value ? "yes" : "no"
            default: return "?"
            }
        }
        print("node \(field("node_id")) on chain \(field("chain_id"))")
        print("  height \(field("height")), block \(field("last_block_hash").prefix(16))…")
        print("  state root \(field("state_root").prefix(16))…")
        print("  peers \(field("peers")), catching up: \(field("catching_up"))")
    }
}
