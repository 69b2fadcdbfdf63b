import ArgumentParser
import Foundation
import LedgerCore
import LedgerCrypto

/// Runs a command-line tool with CivicLedger's exit codes (ArgumentParser's own are 64 for usage):
/// 0 success, 1 a check said no (`CheckFailed`), 2 usage or input error with a one-line message.
public enum CommandRunner {
    public static func run<Command: ParsableCommand>(_ command: Command.Type) -> Never {
        do {
            var parsed = try Command.parseAsRoot()
            try parsed.run()
            exit(0)
        } catch {
            fail(error, Command.self)
        }
    }

    /// The same for a tool with asynchronous subcommands (`civicd start`).
    public static func run<Command: AsyncParsableCommand>(_ command: Command.Type) async -> Never {
        do {
            let parsed = try Command.parseAsRoot()
            if var asynchronous = parsed as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = parsed
                try synchronous.run()
            }
            exit(0)
        } catch {
            fail(error, Command.self)
        }
    }

    private static func fail<Command: ParsableCommand>(_ error: any Error, _ command: Command.Type) -> Never {
        switch error {
        case let failed as CheckFailed:
            if !failed.message.isEmpty { printError(failed.message) }
            exit(1)
        case let problem as InputError:
            printError("error: \(problem.message)")
            exit(2)
        case let problem as CryptoError:
            printError("error: \(problem.reason)")
            exit(2)
        case let problem as GenesisError:
            printError("error: \(problem)")
            exit(2)
        default:
            if Command.exitCode(for: error) == .success { Command.exit(withError: error) }
            printError(Command.fullMessage(for: error))
            exit(2)
        }
    }
}

/// A check ran and its answer is "no" (exit 1).
public struct CheckFailed: Error {
    public let message: String
    public init(message: String) { self.message = message }
}

/// The input could not be used: unreadable file, malformed hex, … (exit 2).
public struct InputError: Error {
    public let message: String
    public init(message: String) { self.message = message }
}

/// Writes one line to standard error.
public func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension CryptoSuiteID: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
