import ArgumentParser
import CivicCommandLine

/// `civicd`: the node daemon — create a node or a local network, run it, and the operator's tools.
struct CivicdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civicd",
        abstract: "CivicLedger node: run a node, create a local network, build genesis files.",
        discussion: """
            A new node: civicd init --home DIR --node-id ID, then civicd start --home DIR.
            A local network: civicd testnet --validators 4 --dir DIR. One node for development: civicd dev.
            Exit status: 0 success, 1 a check said no (genesis validate), 2 usage, configuration or input error.
            Building a genesis by hand, step by step: Genesis/README.md. Running a node: docs/node.md.
            """,
        subcommands: [
            InitCommand.self, StartCommand.self, TestnetCommand.self, DevCommand.self, StatusCommand.self,
            TLSCommand.self,
            NodeKeysCommand.self, GenesisCommand.self, SimulateCommand.self, LedgerBenchCommand.self,
        ]
    )
}

@main
enum CivicdMain {
    static func main() async { await CommandRunner.run(CivicdCommand.self) }
}
