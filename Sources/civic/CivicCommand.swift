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
            Crypto suites: secp256k1-sha256 (default) and sm2-sm3. Every value is printed as lower-case hex.
            Exit status: 0 success, 1 the check failed (e.g. an invalid signature), 2 usage or input error.
            Full reference with examples: docs/cli.md.
            """,
        subcommands: [
            SubmitCommand.self, TxCommand.self, QueryCommand.self, ReceiptCommand.self, VerifyCommand.self,
            HashCommand.self, KeysCommand.self, SignCommand.self,
            VerifySignatureCommand.self, MerkleCommand.self, BenchCommand.self,
        ]
    )
}

@main
enum CivicMain {
    static func main() async { await CommandRunner.run(CivicCommand.self) }
}
