import CivicCommandLine
import LedgerCore
import LedgerCrypto
import Verifier

/// `civic verify --node …`: asks every node, keeps only answers that are about the question, fresh enough and
/// proven, and reports from the latest of them (`docs/verifier.md`, "Online"). A node can withhold, lag or lie
/// and so make the verdict "could not check", but an answer it made up fails a proof and is never used: the
/// verdict always rests on a proven answer.
struct OnlineVerification {
    let question: VerificationQuestion
    let trust: TrustedHistory
    /// Seconds: a certificate answer whose header is older is refused. (A transaction's receipt is never
    /// stale — a committed block is final — so the age of its block does not matter.)
    let maxAge: UInt64

    /// One node's usable answer.
    private struct Answer {
        let node: String
        let header: BlockHeader
        let report: VerificationReport
    }

    func run(nodes: [String]) async throws -> VerificationReport {
        guard let path = question.path else {
            throw InputError(message: "online verification of a transaction needs --tx HASH")
        }
        let hash = trust.genesis.suite.suite.hashFunction
        // Ask for hand-offs from the latest pinned checkpoint: shorter answers, and all this verifier needs.
        let asked = trust.checkpoints.last.map { path + "?checkpoint=\($0.height)" } ?? path
        var answers: [Answer] = []
        var failures: [String] = []
        for node in nodes {
            do {
                answers.append(try await ask(node, asked, hash: hash))
            } catch let error as InputError {
                failures.append("\(node): \(error.message)")
            }
        }
        guard let latest = answers.max(by: { $0.header.height < $1.header.height }) else {
            throw InputError(message: "no node gave a usable answer — " + failures.joined(separator: "; "))
        }
        let latestHash = latest.header.hash(hash)
        if let fork = answers.first(where: {
            $0.header.height == latest.header.height && $0.header.hash(hash) != latestHash
        }) {
            throw InputError(
                message:
                    "\(latest.node) and \(fork.node) show two different final blocks at height \(latest.header.height): the network signed two histories; tell its operators"
            )
        }
        var report = latest.report
        report.notes.append(
            "Checked online: block \(latest.header.height) (\(UTCTimestamp.format(latest.header.time))) from \(latest.node) was the latest proven answer. Nothing a node said was trusted; every proof was checked here."
        )
        for other in answers where other.node != latest.node && other.report.headline != latest.report.headline {
            report.notes.append(
                "Nodes disagree: \(other.node) answered as of block \(other.header.height): \(other.report.headline) The later proven answer stands."
            )
        }
        for failure in failures { report.notes.append("Not used: \(failure)") }
        report.fields.append(JSONMember("mode", .string("online")))
        report.fields.append(JSONMember("nodes_used", .integer(Int64(answers.count))))
        return report
    }

    /// One node's answer, bound to the question, fresh and proven; anything else is an `InputError` saying why.
    private func ask(_ node: String, _ path: String, hash: any HashFunction) async throws -> Answer {
        let receipt: Receipt
        do { receipt = try await NodeClient(node).receipt(path) } catch let error as InputError {
            throw error
        } catch {
            throw InputError(message: "unreachable: \(error)")
        }
        if let mismatch = question.mismatch(receipt, hash: hash) {
            throw InputError(message: "it answered with \(mismatch): the node is faulty or lying")
        }
        if case .certificate = question {
            try VerifyCommand.refuseOld(receipt.header, limit: maxAge, "its latest answer")
        }
        guard trust.covers(receipt.base) else {
            throw InputError(message: "its receipt starts at a checkpoint this verifier does not hold")
        }
        let report = try question.verify(receipt, trust: trust)
        guard report.proofHolds else {
            let failure = report.checks.first { !$0.passed }?.detail ?? "a check failed"
            throw InputError(message: "its answer does not hold (\(failure)): the node is faulty or lying")
        }
        return Answer(node: node, header: receipt.header, report: report)
    }
}
