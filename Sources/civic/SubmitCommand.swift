import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// `civic submit …`: builds a transaction locally (documents are hashed here and never leave the machine),
/// signs it with a member's account key, and sends it to a node.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Sign and submit a transaction to a node.",
        subcommands: [
            SubmitCertificate.self, SubmitStatusChange.self, SubmitBatch.self, SubmitDonation.self,
            SubmitDisbursement.self, SubmitSubsidyProgramme.self, SubmitSubsidyBatch.self, SubmitProposal.self,
            SubmitApproval.self,
        ]
    )

    /// Signs `payload` from `signer` with the sequence the node expects, submits it, prints the hash, and
    /// with `wait` follows it to its block.
    static func send(_ payload: TransactionPayload, signer: PrivateKey, options: SubmissionOptions) async throws {
        let (wait, json) = (options.wait, options.json)
        let client = NodeClient(options.node)
        let network = try await client.network()
        let sequence = try await client.nextSequence(of: signer.publicKey)
        let transaction = Transaction(
            chainID: network.chainID,
            sender: signer.publicKey.bytes,
            sequence: sequence,
            payload: payload
        )
        let hash = try await client.submit(try SignedTransaction(signing: transaction, with: signer, for: network))
        guard wait else {
            print(json ? JSONValue.object([JSONMember("hash", .string(hash))]).serialized() : hash)
            return
        }
        if !json { print(hash) }
        try report(try await client.wait(for: hash), json: json)
    }

    /// Now, or an RFC 3339 UTC time given on the command line.
    static func time(_ text: String?, option: String) throws -> UInt64 {
        guard let text else { return UInt64(Date().timeIntervalSince1970) }
        guard let parsed = UTCTimestamp.parse(text) else {
            throw InputError(message: "\(option) must be RFC 3339 UTC, e.g. 2026-11-26T09:30:00Z")
        }
        return parsed
    }

    /// A commitment that names nobody: H(tag ‖ secret), with the secret read from a file or drawn at random
    /// (and printed, so it can be handed to the person it stands for).
    static func commitment(tag: String, secretFile: String?, suite: any CryptoSuite) throws -> Digest {
        let secret: [UInt8]
        if let secretFile {
            secret = try FileInput.read(secretFile)
        } else {
            var generator = SystemRandomNumberGenerator()
            secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            printError("\(tag) secret (hand it over; it proves \"this one was mine\"): \(Hex.encode(secret))")
        }
        var writer = CanonicalWriter()
        writer.write("civicledger/\(tag)-commitment/1")
        writer.write(bytes: secret)
        return suite.hashFunction.hash(writer.bytes)
    }
}

/// What every `civic submit` command takes: the node, the member's account key, and how to report.
struct SubmissionOptions: ParsableArguments {
    @Option(help: "The node's API, e.g. http://127.0.0.1:8080.")
    var node: String

    @Option(help: "The member's account key file (a registrar's, a charity's, …).")
    var key: String

    @Flag(help: "Wait until the transaction is committed.")
    var wait = false

    @Flag(help: "Print JSON.")
    var json = false
}

/// `civic submit certificate`: anchors an e-certificate.
struct SubmitCertificate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Anchor an e-certificate: only a key and a commitment derived from its secret go on the ledger.",
        discussion: """
            --code is the verification code printed on the document (draw one with
            `civic code`, before the document is made). The document is hashed on this
            machine; the ledger records the certificate key H(number ‖ secret) and the
            commitment H(secret ‖ digest), never the number, the digest or the document
            (docs/privacy.md). Prints the transaction hash; with --wait, waits until a
            block commits it and exits 1 if the rules refused it.
            """
    )

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "The certificate document (PDF or any file); it is hashed locally.")
    var file: String

    @Option(help: "The certificate number as printed on it.")
    var number: String

    @Option(help: "The verification code printed on it (ISSUER-SECRET; see `civic code`).")
    var code: String

    @Option(help: "marriage, divorce or decision.")
    var kind: String = "marriage"

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        let hash = signer.suite.suite.hashFunction
        let digest = hash.hash(try FileInput.read(file))
        guard !number.isEmpty else { throw InputError(message: "--number must not be empty") }
        let code = try CertificateOptions.code(self.code, option: "--code")
        let anchorKind: CertificateAnchor.Kind
        switch kind {
        case "marriage": anchorKind = .marriage
        case "divorce": anchorKind = .divorce
        case "decision": anchorKind = .decision
        default: throw InputError(message: "--kind must be marriage, divorce or decision")
        }
        let payload = TransactionPayload.certificateAnchor(
            CertificateAnchor(
                certificate: CertificateRef(code: code, number: number, hash: hash),
                documentCommitment: CertificateAnchor.documentCommitment(
                    documentDigest: digest,
                    secret: code.secret,
                    hash: hash
                ),
                kind: anchorKind
            )
        )
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }
}

/// `civic submit status-change`: a registrar records a correction on its own certificate, or ends any
/// province's certificate with provenance (mutual recognition; `docs/rules.md`, "Certificates").
struct SubmitStatusChange: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status-change",
        abstract: "Record that a certificate was revoked, superseded or corrected.",
        discussion: """
            The certificate is named by its number and verification code, as printed on
            it. revoked and superseded are final; corrected is the issuer's alone. A
            registrar that did not issue the certificate names, with --replacement-number
            and --replacement-code, a certificate it anchored itself (the divorce it
            registered, the decision that revokes): its provenance. --reason is a code
            (a-z 0-9 - _ .), e.g. divorce-registered or clerical-correction.
            """
    )

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "The certificate number as printed on it.")
    var number: String

    @Option(help: "The verification code printed on it.")
    var code: String

    @Option(help: "revoked, superseded or corrected.")
    var status: String

    @Option(help: "A reason code: 1-64 characters of a-z 0-9 - _ . (no personal data).")
    var reason: String = "status-change"

    @Option(name: .customLong("replacement-number"), help: "The number of the certificate that replaces it.")
    var replacementNumber: String?

    @Option(name: .customLong("replacement-code"), help: "The verification code of the replacing certificate.")
    var replacementCode: String?

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        let hash = signer.suite.suite.hashFunction
        let newStatus: CertificateStatus
        switch status {
        case "revoked": newStatus = .revoked
        case "superseded": newStatus = .superseded
        case "corrected": newStatus = .corrected
        default: throw InputError(message: "--status must be revoked, superseded or corrected")
        }
        guard let reasonCode = ReasonCode(reason) else {
            throw InputError(message: "--reason must be \(ReasonCode.rules)")
        }
        let replacement: CertificateRef?
        switch (replacementNumber, replacementCode) {
        case (nil, nil): replacement = nil
        case (let number?, let code?):
            replacement = CertificateRef(
                code: try CertificateOptions.code(code, option: "--replacement-code"),
                number: number,
                hash: hash
            )
        default: throw InputError(message: "give both --replacement-number and --replacement-code, or neither")
        }
        let payload = TransactionPayload.certificateStatusChange(
            CertificateStatusChange(
                certificate: CertificateRef(
                    code: try CertificateOptions.code(code, option: "--code"),
                    number: number,
                    hash: hash
                ),
                newStatus: newStatus,
                reason: reasonCode,
                replacement: replacement
            )
        )
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }
}

/// `civic submit donation`: a charity records a donation to one of its projects.
struct SubmitDonation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "donation",
        abstract: "Record a donation received for a project (the donor is not named on the ledger).",
        discussion: """
            The donor appears only as a commitment H(secret); without --donor-secret a
            random secret is drawn and printed on standard error for the donor to keep.
            """
    )

    @OptionGroup var submission: SubmissionOptions
    @Option(help: "Project id (1-64 of a-z A-Z 0-9 . _ -).")
    var project: String
    @Option(help: "Amount in the smallest currency unit (fen).")
    var amount: UInt64
    @Option(name: .customLong("donor-secret"), help: "File holding the donor's secret.")
    var donorSecret: String?
    @Option(name: .customLong("received-at"), help: "When it was received, RFC 3339 UTC (default: now).")
    var receivedAt: String?

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        guard let projectID = ProjectID(project) else {
            throw InputError(message: "--project \(project) is not a project id")
        }
        let payload = TransactionPayload.donation(
            Donation(
                projectID: projectID,
                amount: amount,
                donorCommitment: try SubmitCommand.commitment(
                    tag: "donor",
                    secretFile: donorSecret,
                    suite: signer.suite.suite
                ),
                receivedAt: try SubmitCommand.time(receivedAt, option: "--received-at")
            )
        )
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }
}

/// `civic submit disbursement`: a charity records money spent from a project.
struct SubmitDisbursement: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disbursement",
        abstract: "Record a disbursement from a project; the ledger refuses spending more than was received."
    )

    @OptionGroup var submission: SubmissionOptions
    @Option(help: "Project id.")
    var project: String
    @Option(help: "Amount in the smallest currency unit (fen).")
    var amount: UInt64
    @Option(help: "What the money paid for (at most 128 bytes; no personal data).")
    var purpose: String = "project expenses"
    @Option(name: .customLong("recipient-secret"), help: "File holding the recipient's secret.")
    var recipientSecret: String?

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        guard let projectID = ProjectID(project) else {
            throw InputError(message: "--project \(project) is not a project id")
        }
        guard purpose.utf8.count <= Disbursement.maximumPurposeLength else {
            throw InputError(message: "--purpose is at most \(Disbursement.maximumPurposeLength) bytes")
        }
        let payload = TransactionPayload.disbursement(
            Disbursement(
                projectID: projectID,
                amount: amount,
                recipientCommitment: try SubmitCommand.commitment(
                    tag: "recipient",
                    secretFile: recipientSecret,
                    suite: signer.suite.suite
                ),
                purpose: purpose,
                paidAt: UInt64(Date().timeIntervalSince1970)
            )
        )
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }
}

/// `civic tx HASH`: what became of a transaction.
struct TxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Show a transaction's status: pending, committed (height, result) or rejected (reason)."
    )

    @Argument(help: "The transaction hash (64 hex digits).")
    var hash: String

    @Option(help: "The node's API, e.g. http://127.0.0.1:8080.")
    var node: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let (status, document) = try await NodeClient(node).get("/v1/txs/\(hash)")
        guard status == 200 else {
            if case .string(let detail)? = document["detail"] { throw InputError(message: detail) }
            throw InputError(message: "the node answered \(status)")
        }
        try report(document, json: json)
    }
}
