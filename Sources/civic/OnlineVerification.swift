import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Verifier

/// `civic verify --node …`: asks every node, keeps only answers that are about the question, fresh enough and
/// proven, and reports from the latest of them (`docs/verifier.md`, "Online"). A node can withhold, lag or lie
/// and so make the verdict "could not check"; an answer it made up fails a proof and is never used; the most
/// it can pass off is a genuine answer as old as `--max-age` allows.
struct OnlineVerification {
    let question: VerificationQuestion
    let trust: TrustedHistory
    /// Seconds: a certificate's or batch's answer whose header is older is refused (a stale proof that a
    /// batch is not anchored is as misleading as a stale certificate). A transaction's receipt is never stale
    /// — a committed block is final — so the age of its block does not matter.
    let maxAge: UInt64

    /// How far ahead of this machine's clock a header's time may be: clocks differ, block times do not run
    /// ahead of real time.
    static let clockSkew: UInt64 = 120

    /// One node's answer, bound to the question and fresh.
    private struct Answer {
        let node: String
        let receipt: Receipt
    }

    func run(nodes: [String]) async throws -> VerificationReport {
        guard let path = question.path else {
            throw InputError(
                message: "online, a transaction needs --tx HASH, and a document in a batch --batch-proofs FILE"
            )
        }
        let hash = trust.genesis.suite.suite.hashFunction
        // Ask for hand-offs from the latest pinned checkpoint: shorter answers, and all this verifier needs.
        let asked = trust.checkpoints.last.map { path + "?checkpoint=\($0.height)" } ?? path
        var answers: [Answer] = []
        var failures: [String] = []
        for node in nodes {
            do {
                let answer = Answer(node: node, receipt: try await ask(node, asked, hash: hash))
                // Checked alone first, so one node's forgery cannot spoil what the others proved.
                _ = try proven(answer, under: trust)
                answers.append(answer)
            } catch let error as InputError {
                failures.append("\(node): \(error.message)")
            }
        }
        // Every validator-set change any node proved is known before any answer is judged: a node cannot win
        // with a header signed by a set another node proved replaced.
        let known = try merged(answers)
        var reports: [(answer: Answer, report: VerificationReport)] = []
        for answer in answers {
            do { reports.append((answer, try proven(answer, under: known))) } catch let error as InputError {
                failures.append("\(answer.node): \(error.message)")
            }
        }
        guard let latest = reports.max(by: { $0.answer.receipt.header.height < $1.answer.receipt.header.height }) else {
            throw InputError(message: "no node gave a usable answer — " + failures.joined(separator: "; "))
        }
        let header = latest.answer.receipt.header
        if let fork = reports.first(where: {
            $0.answer.receipt.header.height == header.height && $0.answer.receipt.header.hash(hash) != header.hash(hash)
        }) {
            throw InputError(
                message:
                    "\(latest.answer.node) and \(fork.answer.node) show two different final blocks at height \(header.height): the network signed two histories; tell its operators"
            )
        }
        var report = latest.report
        report.notes.append(
            "Checked online: block \(header.height) (\(UTCTimestamp.format(header.time))) from \(latest.answer.node) was the latest proven answer. Nothing a node said was trusted; every proof was checked here."
        )
        for other in reports where other.report.standing != latest.report.standing {
            report.notes.append(
                "Nodes disagree: \(other.answer.node) answered as of block \(other.answer.receipt.header.height): \(other.report.headline) The later proven answer stands."
            )
        }
        for failure in failures { report.notes.append("Not used: \(failure)") }
        report.fields.append(JSONMember("mode", .string("online")))
        report.fields.append(JSONMember("nodes_used", .integer(Int64(reports.count))))
        return report
    }

    /// One node's answer, bound to the question and fresh; anything else is an `InputError` saying why.
    private func ask(_ node: String, _ path: String, hash: any HashFunction) async throws -> Receipt {
        let receipt: Receipt
        do { receipt = try await NodeClient(node).receipt(path) } catch let error as InputError {
            throw error
        } catch {
            throw InputError(message: "unreachable: \(error)")
        }
        if let mismatch = question.mismatch(receipt, hash: hash) {
            throw InputError(message: "it answered with \(mismatch): the node is faulty or lying")
        }
        let header = receipt.header
        let now = UInt64(max(0, Date().timeIntervalSince1970))
        guard header.time <= now + Self.clockSkew else {
            throw InputError(
                message:
                    "its answer is from block \(header.height) at \(UTCTimestamp.format(header.time)), ahead of this machine's clock: the node is faulty or lying (or this clock is wrong)"
            )
        }
        switch question {
        case .certificate, .document:
            // A pinned checkpoint is newer than any answer below it: such an answer is stale by proof.
            if let refusal = trust.refusesState(at: header.height) {
                throw InputError(message: "\(refusal): the node is behind or lying")
            }
            try VerifyCommand.refuseOld(header, limit: maxAge, "its latest answer")
        case .transaction: break
        }
        if let base = receipt.base, !trust.covers(base) {
            throw InputError(message: "its receipt starts at \(base), which this verifier does not hold")
        }
        return receipt
    }

    /// The report on `answer` under `history`, when its proof holds.
    private func proven(_ answer: Answer, under history: TrustedHistory) throws -> VerificationReport {
        let report = try question.verify(answer.receipt, trust: history)
        guard report.proofHolds else {
            let failure = report.checks.first { !$0.passed }?.detail ?? "a check failed"
            throw InputError(message: "its answer does not hold (\(failure)): the node is faulty or lying")
        }
        return report
    }

    /// `trust` extended by the hand-offs of every answer, in height order. Two answers that show different
    /// headers or sets at one height are two histories: could not check. (Their commit certificates may
    /// differ: each node keeps the quorum of signatures it happened to collect, and any quorum proves it.)
    private func merged(_ answers: [Answer]) throws -> TrustedHistory {
        let hash = trust.genesis.suite.suite.hashFunction
        var byHeight: [UInt64: ValidatorHandOff] = [:]
        for answer in answers {
            for handOff in answer.receipt.handOffs {
                if let other = byHeight[handOff.header.height],
                    other.header.hash(hash) != handOff.header.hash(hash)
                        || other.next.hash(hash) != handOff.next.hash(hash)
                {
                    throw InputError(
                        message:
                            "two nodes show different validator-set changes at height \(handOff.header.height): the network signed two histories; tell its operators"
                    )
                }
                byHeight[handOff.header.height] = handOff
            }
        }
        let handOffs = byHeight.keys.sorted().compactMap { byHeight[$0] }
        do { return try trust.following(handOffs, below: UInt64.max) } catch {
            throw InputError(message: "the nodes' validator-set changes do not fit together: \(error)")
        }
    }
}
