import ArgumentParser
import CivicCommandLine
import LedgerCrypto

/// `civic verify-signature`: check a detached signature; exit 0 valid, 1 invalid.
struct VerifySignatureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-signature",
        abstract: "Check a detached signature over a file: exit 0 if valid, 1 if not.",
        discussion: "secp256k1 signatures with a high s are invalid (the low-S rule)."
    )

    @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3.")
    var suite: CryptoSuiteID = .secp256k1SHA256

    @Option(name: .customLong("public-key"), help: "The signer's public key as hex.")
    var publicKey: String

    @Option(help: "The signature r‖s as 128 hex characters.")
    var signature: String

    @Argument(help: "The signed file ('-' reads standard input).")
    var file: String

    func run() throws {
        let key = try suite.suite.publicKey(hex: publicKey)
        let parsed = try Signature(hex: signature)
        let content = try FileInput.read(file)
        guard suite.suite.verify(parsed, of: content, by: key) else {
            throw CheckFailed(message: "signature INVALID for \(file)")
        }
        print("signature valid for \(file)")
    }
}
