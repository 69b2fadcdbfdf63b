import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// `civic query …`: reads the ledger through one node, trusting it (for proof, `civic verify`).
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Read certificates, projects and subsidy conflicts from a node (trusting it; for proof use verify).",
        subcommands: [QueryCertificate.self, QueryProject.self, QueryConflicts.self]
    )

    /// GETs `path`; a problem document becomes an input error (exit 2) carrying its detail.
    static func fetch(_ node: String, _ path: String) async throws -> JSONValue {
        let (status, document) = try await NodeClient(node).get(path)
        guard status == 200 else {
            if case .string(let detail)? = document["detail"] { throw InputError(message: detail) }
            throw InputError(message: "the node answered \(status)")
        }
        return document
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .integer(let number)?: return "\(number)"
        case .bool(let flag)?: return flag ? "yes" : "no"
        default: return "?"
        }
    }
}

/// What every `civic query` command takes.
struct QueryOptions: ParsableArguments {
    @Option(help: "The node's API, e.g. http://127.0.0.1:8080.")
    var node: String

    @Flag(help: "Print the node's JSON answer.")
    var json = false
}

/// `civic query certificate`: a certificate's status and history.
struct QueryCertificate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Show a certificate's status and history (only its issuer and key are sent)."
    )

    @OptionGroup var options: QueryOptions
    @Option(help: "The certificate number as printed on it.")
    var number: String
    @Option(help: "The verification code printed on it (ISSUER-SECRET).")
    var code: String

    func run() async throws {
        let code = try CertificateOptions.code(self.code, option: "--code")
        let suite = try await NodeClient(options.node).suite().suite
        let subject = CertificateRef(code: code, number: number, hash: suite.hashFunction)
        let document = try await QueryCommand.fetch(
            options.node,
            "/v1/certificates/\(subject.issuer.value)/\(subject.key.hex)"
        )
        if options.json { return print(document.serialized()) }
        let certificate = document["certificate"]
        print(
            "certificate \(number): \(QueryCommand.text(certificate?["status"])) as of height \(QueryCommand.text(document["height"]))"
        )
        print("  \(QueryCommand.text(certificate?["kind"])), issued by \(QueryCommand.text(certificate?["issuer"]))")
        if case .array(let events)? = certificate?["history"] {
            for event in events {
                print(
                    "  block \(QueryCommand.text(event["height"]))  \(QueryCommand.text(event["status"]))  by \(QueryCommand.text(event["by"]))  (\(QueryCommand.text(event["reason"])))"
                )
            }
        }
    }
}

/// `civic query project`: a project's money in and out.
struct QueryProject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Show what a charity's project received, spent and holds, with every donation and disbursement."
    )

    @Argument(help: "The project id.")
    var project: String
    @OptionGroup var options: QueryOptions
    @Option(help: "The charity's member id (needed only when two charities use the same project id).")
    var charity: String?

    func run() async throws {
        guard ProjectID(project) != nil else { throw InputError(message: "\(project) is not a project id") }
        let path = charity.map { "/v1/charities/\($0)/projects/\(project)" } ?? "/v1/projects/\(project)"
        let document = try await QueryCommand.fetch(options.node, path)
        if options.json { return print(document.serialized()) }
        print(
            "project \(project) of \(QueryCommand.text(document["charity"])) as of height \(QueryCommand.text(document["height"]))"
        )
        print("  received \(QueryCommand.text(document["received"]))")
        print("  spent    \(QueryCommand.text(document["spent"]))")
        print("  balance  \(QueryCommand.text(document["balance"]))")
        if case .array(let donations)? = document["donations"] {
            for donation in donations {
                print(
                    "  + \(QueryCommand.text(donation["amount"]))  donation, block \(QueryCommand.text(donation["height"]))"
                )
            }
        }
        if case .array(let disbursements)? = document["disbursements"] {
            for disbursement in disbursements {
                print(
                    "  - \(QueryCommand.text(disbursement["amount"]))  \(QueryCommand.text(disbursement["purpose"])), block \(QueryCommand.text(disbursement["height"]))"
                )
            }
        }
    }
}

/// `civic query conflicts`: beneficiaries paid twice for one programme and period.
struct QueryConflicts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List beneficiaries paid twice for one programme and period (by their pseudonymous tags)."
    )

    @OptionGroup var options: QueryOptions
    @Option(help: "The subsidy programme as OWNER/NAME, e.g. 440000/dibao.")
    var programme: String
    @Option(help: "The period: a year (2026), quarter (2026-Q3) or month (2026-07).")
    var period: String

    func run() async throws {
        guard let programme = ProgrammeRef.normalising(programme) else {
            throw InputError(message: "--programme \(programme) is not OWNER/NAME, e.g. 440000/dibao")
        }
        guard let period = SubsidyPeriod.normalising(period) else {
            throw InputError(message: "--period \(period) is not a year (2026), quarter (2026-Q3) or month (2026-07)")
        }
        let query = [("programme", programme.description), ("period", period.value)].map {
            "\($0.0)=\(NodeClient.queryValue($0.1))"
        }
        let document = try await QueryCommand.fetch(
            options.node,
            "/v1/subsidies/conflicts?" + query.joined(separator: "&")
        )
        if options.json { return print(document.serialized()) }
        guard case .array(let conflicts)? = document["conflicts"], !conflicts.isEmpty else {
            return print(
                "no beneficiary of \(programme) \(period) was paid twice (height \(QueryCommand.text(document["height"])))"
            )
        }
        print(
            "\(conflicts.count) beneficiar\(conflicts.count == 1 ? "y" : "ies") of \(programme) \(period) paid twice:"
        )
        for conflict in conflicts {
            print(
                "  \(QueryCommand.text(conflict["beneficiary_tag"]).prefix(16))…  by \(QueryCommand.text(conflict["first"]?["payer"])) (block \(QueryCommand.text(conflict["first"]?["height"]))) and \(QueryCommand.text(conflict["second"]?["payer"])) (block \(QueryCommand.text(conflict["second"]?["height"])))"
            )
        }
    }
}
