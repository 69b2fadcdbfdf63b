import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// `civic submit subsidy-batch`: a payer records one batch of subsidy payments under a registered programme.
/// Identity numbers are read from a CSV here, validated and normalised, and never leave the machine: each
/// becomes a tag keyed by the programme's tag key.
struct SubmitSubsidyBatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subsidy-batch",
        abstract:
            "Record a batch of subsidy payments; the ledger catches anyone paid twice for one programme and period.",
        discussion: """
            --file is a CSV with one payment per line: identity-number,amount (amount in
            fen; a first line that does not start with a digit is a header). Each identity
            number is checked (GB 11643: 18 characters, a real birth date, the check
            character; a 15-digit number is converted to 18) and written one way — spaces
            dropped, full-width digits and X made ASCII, x upper-cased — so one person has
            one tag however the number was typed; a bad line stops the batch, naming it.
            Each person becomes the tag HMAC(tag key, "civicledger/subsidy-tag/2" ‖ programme
            ‖ period ‖ identity number) with the network's hash (docs/privacy.md). The tag
            key (--tag-key, a file of at least 64 hex digits) belongs to the programme: its
            owner makes it and gives it to the programme's payers, off the ledger. The
            ledger records the programme, period, count, total, the Merkle root of the
            payment records H(tag ‖ amount), and the tags — never a name or an identity number.
            """
    )

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "The programme: OWNER/NAME, or NAME for one your member owns (e.g. dibao).")
    var programme: String

    @Option(help: "The period paid: a year (2026), quarter (2026-Q3) or month (2026-07).")
    var period: String

    @Option(help: "CSV of identity-number,amount lines.")
    var file: String

    @Option(name: .customLong("tag-key"), help: "File holding the programme's tag key as hex.")
    var tagKey: String

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        let hash = signer.suite.suite.hashFunction
        guard let period = SubsidyPeriod.normalising(self.period) else {
            throw InputError(
                message: "--period \(self.period) is not a year (2026), quarter (2026-Q3) or month (2026-07)"
            )
        }
        let keyText = String(decoding: try FileInput.read(tagKey), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Hex.decode(keyText), key.count >= 32 else {
            throw InputError(message: "\(tagKey): the tag key must be at least 64 hex digits (32 bytes)")
        }
        let payments = try Self.payments(file)
        guard payments.count <= SubsidyBatch.maximumTags else {
            throw InputError(message: "\(file): at most \(SubsidyBatch.maximumTags) payments per batch")
        }
        // Asked last: every mistake in the files is found without reaching the node.
        let programme = try await Self.programme(self.programme, signer: signer, node: submission.node)
        var tags: [Digest] = []
        var total: UInt64 = 0
        var leaves: [Digest] = []
        let log = MerkleLog(hash: hash)
        for payment in payments {
            let tag = SubsidyTag.derive(
                identity: payment.identity,
                programme: programme,
                period: period,
                key: key,
                hash: hash
            )
            tags.append(tag)
            let (sum, overflow) = total.addingReportingOverflow(payment.amount)
            guard !overflow else { throw InputError(message: "\(file): the total overflows") }
            total = sum
            var record = CanonicalWriter()
            record.write(tag)
            record.write(payment.amount)
            leaves.append(log.leafHash(record.bytes))
        }
        printError("programme \(programme), period \(period): \(tags.count) payments, \(total) fen")
        let payload = TransactionPayload.subsidyBatch(
            SubsidyBatch(
                programme: programme,
                period: period,
                recordCount: UInt32(tags.count),
                totalAmount: total,
                recordsRoot: log.root(leafHashes: leaves),
                beneficiaryTags: tags
            )
        )
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }

    /// `OWNER/NAME`, or `NAME` in the signer's own namespace, with the name lower-cased and trimmed.
    static func programme(_ text: String, signer: PrivateKey, node: String) async throws -> ProgrammeRef {
        if text.contains("/") {
            guard let programme = ProgrammeRef.normalising(text) else {
                throw InputError(message: "--programme \(text): expected OWNER/NAME, NAME being \(ProgrammeID.rules)")
            }
            return programme
        }
        guard let name = ProgrammeID.normalising(text) else {
            throw InputError(message: "--programme \(text): the name must be \(ProgrammeID.rules)")
        }
        return ProgrammeRef(owner: try await NodeClient(node).member(of: signer.publicKey), name: name)
    }

    /// The CSV's payments with their line numbers and checked identity numbers; any malformed line is an
    /// error naming it.
    static func payments(_ file: String) throws -> [(line: Int, identity: IdentityNumber, amount: UInt64)] {
        let text = String(decoding: try FileInput.read(file), as: UTF8.self)
        var payments: [(line: Int, identity: IdentityNumber, amount: UInt64)] = []
        var lines: [IdentityNumber: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || (index == 0 && line.first.map { !$0.isNumber } == true) { continue }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, !fields[0].isEmpty, let amount = UInt64(fields[1]), amount > 0 else {
                throw InputError(
                    message: "\(file):\(index + 1): expected identity-number,amount (amount in fen, above 0)"
                )
            }
            let identity: IdentityNumber
            do { identity = try IdentityNumber(fields[0]) } catch {
                throw InputError(message: "\(file):\(index + 1): \(error)")
            }
            if let first = lines[identity] {
                throw InputError(message: "\(file):\(index + 1): the same person as line \(first), twice in one batch")
            }
            lines[identity] = index + 1
            payments.append((index + 1, identity, amount))
        }
        guard !payments.isEmpty else { throw InputError(message: "\(file): no payments") }
        return payments
    }
}

/// `civic submit subsidy-programme`: a payer registers a subsidy programme in its own namespace, or changes
/// which other members may pay under it.
struct SubmitSubsidyProgramme: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subsidy-programme",
        abstract: "Register a subsidy programme, or set which other members may pay under it.",
        discussion: """
            The programme is OWNER/NAME, OWNER being the signer's member: nobody else can
            register it or pay under it unless listed with --payer (each a member with the
            payer role). Sent again, it replaces the list. Make the programme's tag key
            (civic keys tag-key --out FILE) and give it to each payer off the ledger.
            """
    )

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "The programme's name, e.g. dibao (\(ProgrammeID.rules); upper case is lowered).")
    var name: String

    @Option(name: .customLong("payer"), help: "Another member that may pay under it (repeat for more).")
    var payers: [String] = []

    @Option(help: "The kind of period it pays by, fixed once registered: month, quarter or year.")
    var periods: String = "month"

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        guard let programme = ProgrammeID.normalising(name) else {
            throw InputError(message: "--name \(name) must be \(ProgrammeID.rules)")
        }
        guard let kind = SubsidyPeriod.Kind.allCases.first(where: { $0.description == periods.lowercased() }) else {
            throw InputError(message: "--periods must be month, quarter or year")
        }
        let members = try payers.map { text in
            guard let member = OrgID(text) else { throw InputError(message: "--payer \(text) is not a member id") }
            return member
        }
        try await SubmitCommand.send(
            .subsidyProgramme(SubsidyProgramme(name: programme, periods: kind, payers: members)),
            signer: signer,
            options: submission
        )
    }
}
