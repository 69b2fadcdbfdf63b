import LedgerCore
import Verifier

/// What `civic verify` prints: a verdict in plain words, each check with ✓ or ✗, and what the verdict cannot
/// know; or the same as JSON for scripts (`docs/verifier.md`, "The report").
struct VerificationReport {
    /// True when the certificate is valid (or the transaction committed and applied).
    let isValid: Bool
    /// The evidence proved what it is about (whatever the verdict); false means it proves nothing.
    let proofHolds: Bool
    /// What the proven answer says, in one word or code ("valid", "revoked", "not anchored", "ok", …): two
    /// answers disagree when this differs.
    let standing: String
    let headline: String
    let checks: [VerificationCheck]
    /// The certificate's history, one line per event.
    var history: [String] = []
    var notes: [String]
    let height: UInt64
    let time: UInt64
    var fields: [JSONMember] = []

    var text: String {
        let width = (checks.map(\.name.count).max() ?? 0) + 2
        var lines = [(isValid ? "✓ " : "✗ ") + headline, ""]
        for check in checks {
            let name = check.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(check.passed ? "✓" : "✗") \(name)\(check.detail)")
        }
        for block in [history, notes] where !block.isEmpty { lines += [""] + block }
        return lines.joined(separator: "\n")
    }

    var json: JSONValue {
        .object(
            [
                JSONMember("verdict", .string(isValid ? "valid" : "not_valid")),
                JSONMember("summary", .string(headline)),
                JSONMember("height", .unsigned(height)),
                JSONMember("time", .string(UTCTimestamp.format(time))),
                JSONMember(
                    "checks",
                    .array(
                        checks.map { check in
                            .object([
                                JSONMember("name", .string(check.name)),
                                JSONMember("passed", .bool(check.passed)),
                                JSONMember("detail", .string(check.detail)),
                            ])
                        }
                    )
                ),
            ] + fields + [JSONMember("notes", .array(notes.map { .string($0) }))]
        )
    }

    /// The report on a certificate verdict.
    init(certificate verdict: CertificateVerdict, number: String, trust: TrustedHistory) {
        checks = verdict.checks
        height = verdict.height
        time = verdict.time
        isValid = verdict.isValid
        proofHolds = verdict.proofHolds
        standing =
            verdict.record?.status.description
            ?? (verdict.checks.allSatisfy(\.passed) ? "not anchored" : "another document")
        defer { fields.append(JSONMember("trusted", .string(trust.trustDescription))) }
        let asOf = "as of block \(verdict.height) (\(UTCTimestamp.format(verdict.time)))"
        notes = []
        guard verdict.checks.allSatisfy(\.passed) else {
            let failure = verdict.checks.first { !$0.passed }?.detail ?? "a check failed"
            headline =
                verdict.proofHolds
                ? "NOT VALID: \(failure) (\(asOf))."
                : "NOT VALID: the proof does not hold (\(failure)). Do not rely on this document or receipt."
            return
        }
        guard let record = verdict.record else {
            headline =
                "NOT VALID: no certificate with number \(number) and this verification code is on the ledger \(asOf)."
            fields = [JSONMember("status", .string("not anchored"))]
            return
        }
        let last = record.history.last
        let change = last.map { "at block \($0.height) by \($0.by): \($0.reason)" } ?? ""
        switch record.status {
        case .valid:
            headline =
                "VALID: \(record.kind) certificate \(number), issued by \(record.issuer)\(record.history.first.map { " at block \($0.height)" } ?? ""), is valid \(asOf)."
        case .corrected:
            headline =
                "VALID: \(record.kind) certificate \(number) is valid, with a correction recorded \(change), \(asOf)."
        case .revoked:
            headline = "NOT VALID: \(record.kind) certificate \(number) was revoked \(change)."
        case .superseded:
            let replacement =
                last?.replacement.map { " (replaced by \($0.issuer)'s certificate \($0.key.hex.prefix(16))…)" } ?? ""
            headline = "NOT VALID: \(record.kind) certificate \(number) was superseded \(change)\(replacement)."
        }
        history = record.history.map { event in
            "  history: block \(event.height)  \(event.status)  by \(event.by)  (\(event.reason))"
        }
        fields = [JSONMember("status", .string(record.status.description)), JSONMember("certificate", record.json)]
    }

    /// The report on a document-in-a-batch verdict.
    init(document verdict: DocumentVerdict, trust: TrustedHistory) {
        checks = verdict.checks
        height = verdict.height
        time = verdict.time
        isValid = verdict.isValid
        proofHolds = verdict.proofHolds
        standing =
            verdict.isValid
            ? "in the batch" : (verdict.checks.allSatisfy(\.passed) ? "not anchored" : "not in the batch")
        notes = []
        fields = [JSONMember("trusted", .string(trust.trustDescription))]
        let asOf = "as of block \(verdict.height) (\(UTCTimestamp.format(verdict.time)))"
        guard verdict.checks.allSatisfy(\.passed) else {
            let failure = verdict.checks.first { !$0.passed }?.detail ?? "a check failed"
            headline =
                verdict.proofHolds
                ? "NOT VALID: \(failure)."
                : "NOT VALID: the proof does not hold (\(failure)). Do not rely on this document or receipt."
            return
        }
        guard let record = verdict.record else {
            headline = "NOT VALID: the batch this document's proof names is not on the ledger \(asOf)."
            return
        }
        headline =
            "VALID: this document is in the batch \"\(record.label)\" of \(record.leafCount) documents that \(record.issuer) anchored at block \(record.height) (checked \(asOf))."
        fields += [JSONMember("anchored_by", .string(record.issuer.value)), JSONMember("label", .string(record.label))]
    }

    /// The report on a transaction verdict.
    init(transaction verdict: TransactionVerdict, payload: String, trust: TrustedHistory) {
        checks = verdict.checks
        height = verdict.height
        time = verdict.time
        isValid = verdict.isProven && verdict.result.isApplied
        proofHolds = verdict.isProven
        standing = verdict.result.code
        let at = "block \(verdict.height) (\(UTCTimestamp.format(verdict.time)))"
        if !verdict.isProven {
            let failure = verdict.checks.first { !$0.passed }?.detail ?? "a check failed"
            headline = "NOT PROVEN: the proof does not hold (\(failure))."
        } else if verdict.result.isApplied {
            headline = "COMMITTED: transaction \(verdict.id.hex) (\(payload)) is in \(at) and applied."
        } else {
            headline =
                "COMMITTED BUT REJECTED: transaction \(verdict.id.hex) (\(payload)) is in \(at); the ledger rules refused it: \(verdict.result.code) \(verdict.result.message)"
        }
        notes = []
        fields = [
            JSONMember("transaction", .string(verdict.id.hex)), JSONMember("result", .string(verdict.result.code)),
            JSONMember("trusted", .string(trust.trustDescription)),
        ]
    }
}
