import ArgumentParser
import CivicCommandLine
import LedgerCore
import LedgerCrypto

/// `civic keys new|show|tag-key`: create and inspect account key files, and make a subsidy programme's tag key.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create or show a key file.",
        subcommands: [New.self, Show.self, TagKey.self]
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

    struct TagKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag-key",
            abstract: "Create a subsidy programme's tag key: 32 random bytes as hex, in a new file (mode 0600).",
            discussion: """
                The programme's owner makes it once and gives it, off the ledger, to each of
                the programme's payers (and to auditors who must check a person). Whoever holds
                it can tell whether a given identity number was paid under the programme;
                nobody else can (docs/privacy.md, "Subsidies"). An existing file is never overwritten.
                """
        )

        @Option(help: "Path of the key file to create.")
        var out: String

        func run() throws {
            var generator = SystemRandomNumberGenerator()
            let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try KeyFile.writeSecret(Array((Hex.encode(key) + "\n").utf8), to: out)
        }
    }
}
