import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Verifier

/// `civic verify`: checks a certificate document (or a transaction) against a receipt or nodes, trusting
/// only the genesis file and the checkpoints given (`docs/verifier.md`). Exit 0 valid, 1 not valid, 2 could
/// not check.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a certificate against the ledger, trusting nothing but the genesis file.",
        discussion: """
            Offline, from a receipt:
              civic verify --file cert.pdf --number N --code CODE \\
                --genesis genesis.json --receipt r.json
            Online, asking one or more nodes (for the latest state):
              civic verify --file cert.pdf --number N --code CODE \\
                --genesis genesis.json --node http://a:8080 --node http://b:8080
            N and CODE are the number and verification code printed on the certificate.
            A document anchored in a batch: --file DOC with its --receipt (civic receipt
            --batch-proofs), or with --batch-proofs FILE (from civic submit batch) and
            --node URL. A transaction: --tx HASH with --receipt FILE or --node URL.

            The document is hashed on this machine. Every proof is checked here — the
            validators' signatures, the validator-set changes, the state proof and the
            inclusion proof — so a node or a receipt that lies is caught: a lying node
            can make this say "could not check", or pass off a genuine answer as old
            as --max-age allows, nothing else.
            --checkpoint pins a checkpoint (civic checkpoint): validator sets it knows
            were replaced can no longer vouch for anything after it.
            A receipt shows the ledger as of one block: a revocation recorded later is
            not in it. Online, an answer older than --max-age (default 2m) is refused;
            offline, --max-age is off unless given. Exit status: 0 valid, 1 not valid
            (revoked, superseded, forged, another document), 2 could not check
            (unreadable file, unreachable or lying nodes, receipt too old).
            """
    )

    @Option(help: "The network's genesis file: the only thing trusted.")
    var genesis: String

    @Option(
        name: .customLong("checkpoint"),
        help: "A checkpoint file to pin (civic checkpoint); repeat for several."
    )
    var checkpoints: [String] = []

    @Option(help: "The certificate document (PDF or any file); it is hashed locally.")
    var file: String?

    @Option(help: "The certificate number as printed on it.")
    var number: String?

    @Option(help: "The verification code printed on it (ISSUER-SECRET).")
    var code: String?

    @Option(help: "A receipt file (JSON or binary) from `civic receipt` or the API.")
    var receipt: String?

    @Option(help: "A node's API to ask (nothing it says is trusted); repeat to ask several.")
    var node: [String] = []

    @Option(help: "Verify this transaction (64 hex digits): its receipt must be this transaction's.")
    var tx: String?

    @Option(
        name: .customLong("batch-proofs"),
        help: "Online, for a document anchored in a batch: the proofs file civic submit batch wrote."
    )
    var batchProofs: String?

    @Option(
        name: .customLong("max-age"),
        help: "Refuse an answer whose block is older than this, e.g. 30d, 12h, 90m, 600s (online default 2m)."
    )
    var maxAge: String?

    @Flag(help: "Print JSON.")
    var json = false

    /// The online default for `--max-age`: blocks come every `block_interval_ms` (250 ms by default) while the
    /// network is live, so a live node's latest header is seconds old; two minutes leave room for a verifier
    /// whose clock is off and for a short stall (`docs/verifier.md`, "Online").
    static let onlineMaxAge: UInt64 = 120

    func run() async throws {
        let report: VerificationReport
        do {
            report = try await check()
        } catch let error as InputError where json {
            let document = JSONValue.object([
                JSONMember("verdict", .string("could_not_check")),
                JSONMember("reason", .string(error.message)),
            ])
            print(document.serialized())
            throw error
        }
        print(json ? report.json.serialized() : report.text)
        if !report.isValid { throw CheckFailed(message: "") }
    }

    private func check() async throws -> VerificationReport {
        let genesis: Genesis
        do { genesis = try Genesis.parse(json: try FileInput.read(self.genesis)) } catch let error as GenesisError {
            throw InputError(message: "\(self.genesis): \(error)")
        }
        let trust = try Self.trust(genesis, checkpoints: checkpoints)
        let question = try self.question(genesis)
        switch (receipt, node.isEmpty) {
        case (let path?, true):
            let receipt: Receipt
            do { receipt = try Receipt(file: try FileInput.read(path)) } catch let error as ReceiptError {
                throw InputError(message: "\(path): \(error)")
            }
            if let base = receipt.base, !trust.covers(base) {
                throw InputError(
                    message:
                        "\(path): its validator-set changes start at \(base), which is not pinned: give it (or a later checkpoint) with --checkpoint"
                )
            }
            if let limit = try maxAge.map(Self.seconds) {
                try Self.refuseOld(receipt.header, limit: limit, "the receipt")
            }
            // State below a pinned checkpoint is not read (a transaction's block is old by nature): could not
            // check, before any proof.
            if case .transaction = receipt.content {
            } else if let refusal = trust.refusesState(at: receipt.header.height) {
                throw InputError(message: "\(path): \(refusal)")
            }
            var report = try question.verify(receipt, trust: trust)
            let asOf = "block \(receipt.header.height) (\(UTCTimestamp.format(receipt.header.time)))"
            switch receipt.content {
            case .certificate:
                report.notes.append(
                    "A receipt shows the ledger as of \(asOf): anything recorded later, such as a revocation, is not in it. To see the latest state, verify online with --node."
                )
            case .document:
                report.notes.append(
                    "A receipt shows the ledger as of \(asOf). A batch, once anchored, is never changed or withdrawn; with a checkpoint pinned, a receipt older than it is refused, so fetch a fresh one now and then."
                )
            case .transaction, .batch: break
            }
            report.fields.append(JSONMember("mode", .string("offline")))
            return report
        case (nil, false):
            let limit = try maxAge.map(Self.seconds) ?? Self.onlineMaxAge
            return try await OnlineVerification(question: question, trust: trust, maxAge: limit).run(nodes: node)
        default:
            throw InputError(message: "give either --receipt FILE (offline) or --node URL (online), not both")
        }
    }

    /// What is asked, from the options: a certificate (number, code, document) or a transaction.
    private func question(_ genesis: Genesis) throws -> VerificationQuestion {
        let hash = genesis.suite.suite.hashFunction
        if let tx {
            guard number == nil, code == nil, file == nil, batchProofs == nil else {
                throw InputError(
                    message: "--tx verifies a transaction: leave out --file, --number, --code and --batch-proofs"
                )
            }
            guard let bytes = Hex.decode(tx), let id = Digest(bytes: bytes) else {
                throw InputError(message: "--tx must be 64 hex digits")
            }
            return .transaction(id)
        }
        if let file, number == nil, code == nil {
            let digest = hash.hash(try FileInput.read(file))
            guard let batchProofs else { return .document(digest, batch: nil) }
            let proofs = try BatchProofsFile(path: batchProofs)
            return .document(digest, batch: (proofs.root, try proofs.path(for: digest, document: file)))
        }
        guard batchProofs == nil else {
            throw InputError(message: "--batch-proofs is for a document in a batch: give --file alone with it")
        }
        guard let file, let number, let text = code else {
            // An offline transaction receipt may be checked without naming its transaction.
            guard file == nil, number == nil, code == nil, receipt != nil else {
                throw InputError(
                    message:
                        "a certificate is checked with --file, --number and --code (as printed on it); a transaction with --tx"
                )
            }
            return .transaction(nil)
        }
        let code = try CertificateOptions.code(text, option: "--code")
        return .certificate(
            document: hash.hash(try FileInput.read(file)),
            number: number,
            code: code,
            subject: CertificateRef(code: code, number: number, hash: hash)
        )
    }

    /// The genesis file and every checkpoint given, pinned; a checkpoint that does not follow from genesis
    /// (or contradicts another) is refused.
    static func trust(_ genesis: Genesis, checkpoints paths: [String]) throws -> TrustedHistory {
        var trust: TrustedHistory
        do { trust = try TrustedHistory(genesis: genesis) } catch { throw InputError(message: "\(error)") }
        let hash = genesis.suite.suite.hashFunction
        var checkpoints: [(path: String, checkpoint: Checkpoint)] = []
        for path in paths {
            do { checkpoints.append((path, try Checkpoint(json: try FileInput.read(path), hash: hash))) } catch let
                error as CheckpointError
            {
                throw InputError(message: "\(path): \(error)")
            }
        }
        for (path, checkpoint) in checkpoints.sorted(by: { $0.checkpoint.height < $1.checkpoint.height }) {
            do { try trust.pin(checkpoint) } catch {
                throw InputError(
                    message: "\(path): the checkpoint does not follow from the genesis file and the others: \(error)"
                )
            }
        }
        return trust
    }

    /// Refuses `header` when it is older than `limit` seconds by this machine's clock.
    static func refuseOld(_ header: BlockHeader, limit: UInt64, _ what: String) throws {
        let now = UInt64(max(0, Date().timeIntervalSince1970))
        guard now > header.time, now - header.time > limit else { return }
        throw InputError(
            message:
                "\(what) is from block \(header.height) at \(UTCTimestamp.format(header.time)), \(now - header.time) s ago: older than --max-age (\(limit) s)"
        )
    }

    /// `30d`, `12h`, `90m`, `600s` or a bare number of seconds.
    static func seconds(_ text: String) throws -> UInt64 {
        let units: [Character: UInt64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var digits = Substring(text)
        var unit: UInt64 = 1
        if let last = text.last, let factor = units[last] {
            digits = digits.dropLast()
            unit = factor
        }
        guard let value = UInt64(digits), value.multipliedReportingOverflow(by: unit).overflow == false else {
            throw InputError(message: "--max-age \(text): expected a duration such as 30d, 12h, 90m or 600s")
        }
        return value * unit
    }
}
