import ArgumentParser
import CivicCommandLine
import LedgerCore
import LedgerCrypto

/// `civic keys new|show`: create and inspect account key files.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create or show a key file.",
        subcommands: [New.self, Show.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new private key file (mode 0600) and print its public key as hex.",
            discussion: """
                secp256k1-sha256 public keys are 33-byte compressed SEC1; sm2-sm3 public
                keys are 65 bytes 04‖x‖y. An existing file is never overwritten.
                """
        )

        @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3.")
        var suite: CryptoSuiteID = .secp256k1SHA256

        @Option(help: "Path of the key file to create.")
        var out: String

        func run() throws {
            let key = try suite.suite.generatePrivateKey()
            try KeyFile.write(key, to: out)
            print(key.publicKey.hex)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the public key of a key file as hex.")

        @Flag(help: "Print suite, public key and address as JSON.")
        var json = false

        @Argument(help: "The key file.")
        var keyFile: String

        func run() throws {
            let key = try KeyFile.read(from: keyFile)
            if json {
                print(
                    JSONValue.object([
                        JSONMember("suite", .string(key.suite.rawValue)),
                        JSONMember("public_key", .string(key.publicKey.hex)),
                        JSONMember("address", .string(key.publicKey.address)),
                    ]).serialized(pretty: false)
                )
            } else {
                print(key.publicKey.hex)
            }
        }
    }
}
