import ArgumentParser
import CivicCommandLine
import LedgerCrypto

/// `civic sign`: a detached signature over a file.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a file and print the 64-byte signature r‖s as hex.",
        discussion: """
            secp256k1-sha256: ECDSA over SHA-256(file), RFC 6979 nonce, low-S.
            sm2-sm3: standard SM2 with SM3 and the default ID 1234567812345678.
            The suite is the key file's.
            """
    )

    @Option(help: "Private key file (see 'civic keys new').")
    var key: String

    @Argument(help: "The file to sign ('-' reads standard input).")
    var file: String

    func run() throws {
        let privateKey = try KeyFile.read(from: key)
        print(try privateKey.suite.suite.sign(try FileInput.read(file), with: privateKey).hex)
    }
}
