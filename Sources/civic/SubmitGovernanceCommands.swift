import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// `civic submit proposal`: a validator member proposes admitting, updating or removing a member.
struct SubmitProposal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proposal",
        abstract: "Propose admitting, updating or removing a member (validator members only).",
        discussion: """
            --admit and --update read one member entry written as in the genesis file's
            "members" (id, name, roles, account_keys, and validator with power,
            consensus_key, tls_key_pin, address). Proposing counts as the proposer's
            approval; the change happens when approvals pass 2/3 of the validators'
            power (civic submit approve). Prints the proposal id: its transaction hash.
            """
    )

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "A member entry (JSON) to admit.")
    var admit: String?

    @Option(help: "A member entry (JSON) replacing that member's current one.")
    var update: String?

    @Option(help: "The id of the member to remove.")
    var remove: String?

    @Option(name: .customLong("expires-at"), help: "The height after which the proposal lapses.")
    var expiresAt: UInt64 = UInt64.max

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        let action: GovernanceAction
        switch (admit, update, remove) {
        case (let file?, nil, nil): action = .admitMember(try Self.member(file))
        case (nil, let file?, nil): action = .updateMember(try Self.member(file))
        case (nil, nil, let id?):
            guard let member = OrgID(id) else { throw InputError(message: "--remove \(id) is not a member id") }
            action = .removeMember(member)
        default: throw InputError(message: "give exactly one of --admit FILE, --update FILE, --remove ID")
        }
        let payload = TransactionPayload.governanceProposal(
            GovernanceProposal(action: action, expiresAtHeight: expiresAt)
        )
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }

    static func member(_ file: String) throws -> Member {
        do { return try Member.parse(json: try FileInput.read(file)) } catch let error as GenesisError {
            throw InputError(message: "\(file): \(error)")
        }
    }
}

/// `civic submit approve`: a validator member approves a pending proposal.
struct SubmitApproval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a pending governance proposal (validator members only)."
    )

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "The proposal id (its transaction hash, 64 hex digits).")
    var proposal: String

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        guard let bytes = Hex.decode(proposal), let id = Digest(bytes: bytes) else {
            throw InputError(message: "--proposal must be 64 hex digits")
        }
        let payload = TransactionPayload.governanceApproval(GovernanceApproval(proposalID: id))
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }
}
