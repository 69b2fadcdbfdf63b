import ArgumentParser
import CivicCommandLine
import LedgerCrypto

/// `civicd keys new`: a key file for a node (consensus key) or an account, in the network's suite.
struct NodeKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create node keys.",
        subcommands: [New.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a private key file (mode 0600) and print its public key as hex.",
            discussion: "Use one for the validator's consensus key and one per account key; never reuse a key for both."
        )

        @Option(help: "Crypto suite of the network: secp256k1-sha256 or sm2-sm3.")
        var suite: CryptoSuiteID = .secp256k1SHA256

        @Option(help: "Path of the key file to create (never overwritten).")
        var out: String

        func run() throws {
            let key = try suite.suite.generatePrivateKey()
            try KeyFile.write(key, to: out)
            print(key.publicKey.hex)
        }
    }
}
