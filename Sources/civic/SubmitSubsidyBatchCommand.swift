import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// `civic submit subsidy-batch`: a paying department records one batch of subsidy payments. Identity numbers
/// are read from a CSV here and never leave the machine: each becomes a keyed tag.
struct SubmitSubsidyBatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subsidy-batch",
        abstract:
            "Record a batch of subsidy payments; the ledger catches anyone paid twice for one programme and period.",
        discussion: """
            --file is a CSV with one payment per line: identity-number,amount (amount in
            fen; a first line that does not start with a digit is a header). Each person becomes a tag HMAC(consortium key,
            "civicledger/subsidy-tag/1" ‖ identity number) with the network's hash; the
            consortium key (--tag-key, a file of at least 32 hex digits) is shared by
            the paying departments and kept off the ledger. The ledger records the
            programme, period, count, total, the Merkle root of the payment records
            H(tag ‖ amount), and the tags — never a name or an identity number.
            """
    )

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "The subsidy programme, e.g. dibao (at most 32 bytes).")
    var programme: String

    @Option(help: "The period paid, e.g. 2026-11 (at most 16 bytes).")
    var period: String

    @Option(help: "CSV of identity-number,amount lines.")
    var file: String

    @Option(name: .customLong("tag-key"), help: "File holding the consortium's tag key as hex.")
    var tagKey: String

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        let hash = signer.suite.suite.hashFunction
        guard !programme.isEmpty, programme.utf8.count <= SubsidyBatch.maximumProgrammeLength else {
            throw InputError(message: "--programme must be 1-\(SubsidyBatch.maximumProgrammeLength) bytes")
        }
        guard !period.isEmpty, period.utf8.count <= SubsidyBatch.maximumPeriodLength else {
            throw InputError(message: "--period must be 1-\(SubsidyBatch.maximumPeriodLength) bytes")
        }
        let keyText = String(decoding: try FileInput.read(tagKey), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Hex.decode(keyText), key.count >= 16 else {
            throw InputError(message: "\(tagKey): the tag key must be at least 32 hex digits")
        }
        let hmac = HMAC(key: key, hash: hash)
        let payments = try Self.payments(file)
        var tags: [Digest] = []
        var seen: [Digest: Int] = [:]
        var total: UInt64 = 0
        var leaves: [Digest] = []
        let log = MerkleLog(hash: hash)
        for payment in payments {
            var message = CanonicalWriter()
            message.write("civicledger/subsidy-tag/1")
            message.write(payment.identity)
            let tag = hmac.authenticate(message.bytes)
            if let first = seen[tag] {
                throw InputError(
                    message: "\(file):\(payment.line): the same person as line \(first), twice in one batch"
                )
            }
            seen[tag] = payment.line
            tags.append(tag)
            let (sum, overflow) = total.addingReportingOverflow(payment.amount)
            guard !overflow else { throw InputError(message: "\(file): the total overflows") }
            total = sum
            var record = CanonicalWriter()
            record.write(tag)
            record.write(payment.amount)
            leaves.append(log.leafHash(record.bytes))
        }
        guard tags.count <= SubsidyBatch.maximumTags else {
            throw InputError(message: "\(file): at most \(SubsidyBatch.maximumTags) payments per batch")
        }
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

    /// The CSV's payments with their line numbers; any malformed line is an error naming it.
    static func payments(_ file: String) throws -> [(line: Int, identity: String, amount: UInt64)] {
        let text = String(decoding: try FileInput.read(file), as: UTF8.self)
        var payments: [(line: Int, identity: String, amount: UInt64)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || (index == 0 && line.first.map { !$0.isNumber } == true) { continue }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, !fields[0].isEmpty, let amount = UInt64(fields[1]), amount > 0 else {
                throw InputError(
                    message: "\(file):\(index + 1): expected identity-number,amount (amount in fen, above 0)"
                )
            }
            payments.append((index + 1, fields[0], amount))
        }
        guard !payments.isEmpty else { throw InputError(message: "\(file): no payments") }
        return payments
    }
}
