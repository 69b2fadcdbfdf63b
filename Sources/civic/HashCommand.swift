import ArgumentParser
import CivicCommandLine
import LedgerCrypto

/// `civic hash`: the suite hash of files, printed like `sha256sum`.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the hash of each file as 'HEX  FILE' (like sha256sum; '-' reads standard input).",
        discussion: "secp256k1-sha256 hashes with SHA-256, sm2-sm3 with SM3."
    )

    @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3.")
    var suite: CryptoSuiteID = .secp256k1SHA256

    @Argument(help: "Files to hash.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file") }
    }

    func run() throws {
        let hash = suite.suite.hashFunction
        for file in files {
            print("\(hash.hash(try FileInput.read(file)).hex)  \(file)")
        }
    }
}
