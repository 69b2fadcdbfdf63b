import ArgumentParser
import Foundation
import LedgerCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// `civic`: the client and verifier tool for departments, charities and verifiers.
///
/// Exit codes everywhere: 0 success, 1 a check said "no" (invalid signature, …), 2 usage or input error.
struct CivicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "CivicLedger client: keys, hashes, signatures and Merkle proofs.",
        discussion: """
            Crypto suites: secp256k1-sha256 (default) and sm2-sm3. Every value is printed as lower-case hex.
            Exit status: 0 success, 1 the check failed (e.g. an invalid signature), 2 usage or input error.
            Full reference with examples: docs/cli.md.
            """,
        subcommands: [
            HashCommand.self, KeysCommand.self, SignCommand.self, VerifySignatureCommand.self, MerkleCommand.self,
            BenchCommand.self,
        ]
    )
}

@main
enum CivicMain {
    /// Runs the command line with CivicLedger's exit codes instead of ArgumentParser's (64 for usage).
    static func main() {
        do {
            var command = try CivicCommand.parseAsRoot()
            try command.run()
            exit(0)
        } catch let failed as CheckFailed {
            printError(failed.message)
            exit(1)
        } catch let problem as InputError {
            printError("error: \(problem.message)")
            exit(2)
        } catch let problem as CryptoError {
            printError("error: \(problem.reason)")
            exit(2)
        } catch {
            if CivicCommand.exitCode(for: error) == .success { CivicCommand.exit(withError: error) }
            printError(CivicCommand.fullMessage(for: error))
            exit(2)
        }
    }
}

/// A check ran and its answer is "no" (exit 1).
struct CheckFailed: Error {
    let message: String
}

/// The input could not be used: unreadable file, malformed hex, … (exit 2).
struct InputError: Error {
    let message: String
}

func printError(_ message: String) {
    var standardError = StandardError()
    print(message, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

extension CryptoSuiteID: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
