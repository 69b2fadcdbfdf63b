import ArgumentParser
import CivicCommandLine

/// `civic`: the client and verifier tool for departments, charities and verifiers.
///
/// Exit codes everywhere: 0 success, 1 a check said "no" (invalid signature, …), 2 usage or input error.
struct CivicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract:
            "CivicLedger client: submit and follow transactions, save receipts, verify certificates; keys, hashes, signatures.",
        discussion: """
            Where to start:
              draw a certificate's code  civic code --help
              anchor a certificate       civic submit certificate --help
              hand out its receipt       civic receipt --help
              record a divorce           civic submit status-change --help
              record a donation          civic submit donation --help
              follow a project           civic query project --help
              check a certificate        civic verify --help
            Documents are hashed on this machine: no document, name or identity
            number is ever sent. Suites: secp256k1-sha256 (default), sm2-sm3.
            Exit status: 0 success or valid; 1 the ledger or a check said no
            (rejected, not valid); 2 could not do it (usage, unreadable file,
            unreachable node). Reference: docs/cli.md; examples: docs/examples.
            """,
        subcommands: [
            SubmitCommand.self, CodeCommand.self, TxCommand.self, QueryCommand.self, ReceiptCommand.self,
            VerifyCommand.self, CheckpointCommand.self,
            HashCommand.self, KeysCommand.self, SignCommand.self,
            VerifySignatureCommand.self, MerkleCommand.self, BenchCommand.self,
        ]
    )
}

@main
enum CivicMain {
    static func main() async { await CommandRunner.run(CivicCommand.self) }
}
