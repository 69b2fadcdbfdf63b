import ArgumentParser
import CivicCommandLine

/// `civicd`: the node daemon. Today it creates node keys and builds and checks genesis files; it gains
/// `init`, `start` and `testnet` with the node.
struct CivicdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civicd",
        abstract: "CivicLedger node: keys and genesis files (the node itself arrives with the node issue).",
        discussion: """
            Exit status: 0 success, 1 the genesis is not valid (validate), 2 usage or input error.
            Building a genesis by hand, step by step: Genesis/README.md.
            """,
        subcommands: [NodeKeysCommand.self, GenesisCommand.self, SimulateCommand.self, LedgerBenchCommand.self]
    )
}

@main
enum CivicdMain {
    static func main() { CommandRunner.run(CivicdCommand.self) }
}
