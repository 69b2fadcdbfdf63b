import ArgumentParser
import CivicCommandLine
import LedgerCore

/// `civic code`: draws the verification code an issuer prints on a new certificate (`docs/privacy.md`).
struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Draw a verification code to print on a new certificate.",
        discussion: """
            Prints ISSUER-SECRET: the issuing member's id and 128 random bits as 32 hex
            digits. Print it on the document (with the number) before hashing it, keep
            it with the office's copy, and give it to `civic submit certificate --code`.
            Whoever holds the certificate can then find and verify its record; nobody
            else can link the ledger to the number, the document or the person.
            """
    )

    @Option(help: "The issuing member's id, e.g. 440000.")
    var issuer: String

    func run() throws {
        guard let issuer = OrgID(issuer) else { throw InputError(message: "--issuer must be \(OrgID.rules)") }
        var generator = SystemRandomNumberGenerator()
        print(VerificationCode(issuer: issuer, secret: .random(using: &generator)))
    }
}

/// Parsing what is printed on a certificate, for the commands that take it.
enum CertificateOptions {
    static func code(_ text: String, option: String) throws -> VerificationCode {
        guard let code = VerificationCode(text) else {
            throw InputError(
                message:
                    "\(option) must be the verification code printed on the certificate: ISSUER-SECRET, 32 hex digits after the dash"
            )
        }
        return code
    }
}
