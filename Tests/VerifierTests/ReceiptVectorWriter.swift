import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing
import Verifier

/// Writes the known-answer receipt vectors of `docs/vectors/receipts/` (issue 17, point 3): real receipts of
/// both suites from the chains of `CheckpointTests.Removal` and `DocumentVerifierTests.Batch`, each kind of
/// forgery made from them, and the verdict each must get. Run only on purpose — SM2 signatures are randomised,
/// so every run writes new bytes:
///
///     CIVIC_WRITE_VECTORS=docs/vectors/receipts swift test --filter ReceiptVectorWriter
///
/// The expected verdicts are written here by hand, from the rules in `docs/verifier.md`; `ReceiptVectorTests`
/// (CivicTests) holds `civic verify` to them, and `Web/verify` holds the page's verifier to them.
struct ReceiptVectorWriter {
    static let directory = ProcessInfo.processInfo.environment["CIVIC_WRITE_VECTORS"]

    /// What `civic verify --json` must say: the verdict, its exit status, the report's `status` (nil when it
    /// has none) and the first failed check (nil when every check passed or nothing could be checked).
    struct Expected {
        let verdict: String
        let status: String?
        let failedCheck: String?

        static func valid(_ status: String? = nil) -> Expected {
            Expected(verdict: "valid", status: status, failedCheck: nil)
        }
        static func notValid(status: String? = nil, failed: String? = nil) -> Expected {
            Expected(verdict: "not_valid", status: status, failedCheck: failed)
        }
        static let couldNotCheck = Expected(verdict: "could_not_check", status: nil, failedCheck: nil)

        var exit: Int { verdict == "valid" ? 0 : verdict == "not_valid" ? 1 : 2 }
        var json: JSONValue {
            .object([
                JSONMember("verdict", .string(verdict)),
                JSONMember("exit", .integer(Int64(exit))),
                JSONMember("status", status.map(JSONValue.string) ?? .null),
                JSONMember("failed_check", failedCheck.map(JSONValue.string) ?? .null),
            ])
        }
    }

    /// One vector being written: its files are added to the directory as it is described.
    struct Writer {
        let root: URL
        let suite: String
        var vectors: [JSONValue] = []

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = "\(suite)/\(name)"
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(bytes).write(to: url)
            return path
        }

        func write(_ name: String, _ json: JSONValue) throws -> String {
            try write(name, json.serializedBytes() + [0x0A])
        }

        mutating func add(
            _ name: String,
            _ about: String,
            genesis: String,
            checkpoints: [String] = [],
            receipt: String,
            question: JSONValue,
            expected: Expected
        ) {
            vectors.append(
                .object([
                    JSONMember("name", .string("\(suite)/\(name)")),
                    JSONMember("about", .string(about)),
                    JSONMember("genesis", .string(genesis)),
                    JSONMember("checkpoints", .array(checkpoints.map(JSONValue.string))),
                    JSONMember("receipt", .string(receipt)),
                    JSONMember("question", question),
                    JSONMember("expected", expected.json),
                ])
            )
        }
    }

    @Test(.enabled(if: directory != nil, "set CIVIC_WRITE_VECTORS=DIR to write the receipt vectors"))
    func writeTheReceiptVectors() throws {
        let root = URL(fileURLWithPath: try #require(Self.directory))
        var vectors: [JSONValue] = []
        for suite in CryptoSuiteID.allCases {
            var writer = Writer(root: root, suite: suite.rawValue)
            try Self.certificates(suite, &writer)
            try Self.documents(suite, &writer)
            vectors += writer.vectors
        }
        let index = JSONValue.object([
            JSONMember("format", .string("civicledger-receipt-vectors/1")),
            JSONMember("vectors", .array(vectors)),
        ])
        try Data(index.serializedBytes() + [0x0A]).write(to: root.appendingPathComponent("index.json"))
    }

    static func certificateQuestion(
        _ file: String,
        number: String = VerifiedChain.number,
        code: String? = nil
    )
        -> JSONValue
    {
        .object([
            JSONMember("kind", .string("certificate")),
            JSONMember("file", .string(file)),
            JSONMember("number", .string(number)),
            JSONMember("code", .string(code ?? VerifiedChain.code.description)),
        ])
    }

    /// The Removal chain: four validators, Beijing removed in block 1 (header 2 hands over to the other three),
    /// a marriage certificate anchored in block 1 and revoked in block 4, blocks to 6.
    static func certificates(_ suite: CryptoSuiteID, _ writer: inout Writer) throws {
        let removal = try CheckpointTests.Removal(suite: suite)
        let builder = removal.builder
        let hash = removal.chain.hash
        let genesis = try writer.write("genesis.json", removal.genesis.json)
        let document = try writer.write("document.txt", VerifiedChain.document)
        let other = try writer.write("other-document.txt", Array("another marriage certificate".utf8))
        let question = certificateQuestion(document)
        func receipt(
            _ height: UInt64,
            checkpoint: UInt64? = nil,
            number: String = VerifiedChain.number
        ) throws
            -> Receipt
        {
            let subject = CertificateRef(code: VerifiedChain.code, number: number, hash: hash)
            return try builder.certificate(subject, height: height, checkpoint: checkpoint)
        }
        func evidence(_ receipt: Receipt) throws -> CertificateEvidence {
            guard case .certificate(let evidence) = receipt.content else { throw StateReadError("not a certificate") }
            return evidence
        }
        func changing(
            _ evidence: CertificateEvidence,
            record: CertificateRecord?? = nil,
            certificate: CommitCertificate? = nil,
            handOffs: [ValidatorHandOff]? = nil
        ) -> Receipt {
            Receipt(
                .certificate(
                    CertificateEvidence(
                        subject: evidence.subject,
                        record: record ?? evidence.record,
                        proof: evidence.proof,
                        header: evidence.header,
                        certificate: certificate ?? evidence.certificate,
                        handOffs: handOffs ?? evidence.handOffs,
                        transaction: evidence.transaction
                    )
                )
            )
        }

        let valid = try receipt(3)
        let validFile = try writer.write("certificate-valid.json", valid.json)
        writer.add(
            "certificate-valid",
            "A valid certificate as of block 3, with the hand-off at header 2 that removed Beijing.",
            genesis: genesis,
            receipt: validFile,
            question: question,
            expected: .valid("valid")
        )
        writer.add(
            "certificate-valid-binary",
            "The same receipt in binary (.civr).",
            genesis: genesis,
            receipt: try writer.write("certificate-valid.civr", valid.binary),
            question: question,
            expected: .valid("valid")
        )
        writer.add(
            "certificate-valid-sorted-keys",
            "The same receipt with every JSON object's keys sorted, as json.tool --sort-keys writes it.",
            genesis: genesis,
            receipt: try writer.write("certificate-valid-sorted.json", valid.json.ignoringKeyOrder),
            question: question,
            expected: .valid("valid")
        )
        let revoked = try receipt(6)
        let revokedFile = try writer.write("certificate-revoked.json", revoked.json)
        writer.add(
            "certificate-revoked",
            "The certificate as of block 6: revoked in block 4. Every proof holds; the verdict is not valid.",
            genesis: genesis,
            receipt: revokedFile,
            question: question,
            expected: .notValid(status: "revoked")
        )
        writer.add(
            "certificate-not-anchored",
            "A number that was never anchored, proven absent as of block 6.",
            genesis: genesis,
            receipt: try writer.write("certificate-absent.json", try receipt(6, number: "GD-never").json),
            question: certificateQuestion(document, number: "GD-never"),
            expected: .notValid(status: "not anchored")
        )
        writer.add(
            "certificate-other-document",
            "A genuine receipt, checked against another file than the one anchored.",
            genesis: genesis,
            receipt: validFile,
            question: certificateQuestion(other),
            expected: .notValid(failed: "document")
        )
        let otherCode = VerificationCode(
            issuer: LedgerFixture.guangdong,
            secret: CertificateSecret(bytes: Array(16..<32))!
        )
        writer.add(
            "certificate-wrong-code",
            "A genuine receipt, checked with a verification code whose secret differs: the certificate it names is not the receipt's subject.",
            genesis: genesis,
            receipt: validFile,
            question: certificateQuestion(document, code: otherCode.description),
            expected: .notValid(failed: "certificate")
        )
        let genuine = try evidence(valid)
        var flipped = genuine.certificate.canonicalBytes
        flipped[flipped.count - 1] ^= 0x01
        writer.add(
            "certificate-bad-signature",
            "One bit of one precommit signature flipped: the commit certificate fails, though the others reach a quorum.",
            genesis: genesis,
            receipt: try writer.write(
                "certificate-bad-signature.json",
                changing(genuine, certificate: try CommitCertificate(canonicalBytes: flipped)).json
            ),
            question: question,
            expected: .notValid(failed: "commit certificate")
        )
        let certificate = genuine.certificate
        let one = CommitCertificate(
            height: certificate.height,
            round: certificate.round,
            blockHash: certificate.blockHash,
            signatures: Array(certificate.signatures.prefix(1))
        )
        writer.add(
            "certificate-one-signature",
            "The commit certificate cut to one of its signatures: 10 of 30 power is not more than 2/3.",
            genesis: genesis,
            receipt: try writer.write("certificate-one-signature.json", changing(genuine, certificate: one).json),
            question: question,
            expected: .notValid(failed: "commit certificate")
        )
        writer.add(
            "certificate-hand-off-left-out",
            "The hand-off at header 2 left out: header 3 names the three-member set, which genesis never handed over to.",
            genesis: genesis,
            receipt: try writer.write("certificate-no-hand-off.json", changing(genuine, handOffs: []).json),
            question: question,
            expected: .notValid(failed: "validator sets")
        )
        let revokedEvidence = try evidence(revoked)
        writer.add(
            "certificate-record-replaced",
            "Block 6's genuine header and proof with the record as it was before the revocation: the state proof fails.",
            genesis: genesis,
            receipt: try writer.write(
                "certificate-record-replaced.json",
                changing(revokedEvidence, record: .some(genuine.record)).json
            ),
            question: question,
            expected: .notValid(failed: "state proof")
        )
        var edited = revoked.json
        edited = edited.setting(["summary", "status"], to: .string("valid"))
        edited = edited.setting(["summary", "certificate", "status"], to: .string("valid"))
        writer.add(
            "certificate-summary-edited",
            "The revoked receipt with its summary edited to say valid: refused on reading (summary_mismatch).",
            genesis: genesis,
            receipt: try writer.write("certificate-summary-edited.json", edited),
            question: question,
            expected: .couldNotCheck
        )
        for version in [0, 1, 4] {
            writer.add(
                "receipt-version-\(version)",
                "The valid receipt labelled format version \(version): 3 and 2 are read, nothing else.",
                genesis: genesis,
                receipt: try writer.write(
                    "receipt-version-\(version).json",
                    valid.json.setting(["civic_receipt"], to: .integer(Int64(version)))
                ),
                question: question,
                expected: .couldNotCheck
            )
        }
        writer.add(
            "receipt-truncated",
            "The binary receipt without its last byte.",
            genesis: genesis,
            receipt: try writer.write("receipt-truncated.civr", Array(valid.binary.dropLast())),
            question: question,
            expected: .couldNotCheck
        )

        // Checkpoints and the long-range limit (docs/verifier.md, "Trust" and "Checkpoints").
        let checkpoint3 = try writer.write("checkpoint-3.json", try builder.checkpoint(at: 3).json(hash: hash))
        let checkpoint5 = try writer.write("checkpoint-5.json", try builder.checkpoint(at: 5).json(hash: hash))
        let forgery = Receipt(.certificate(try removal.forgery()))
        let forgeryFile = try writer.write("long-range-forgery.json", forgery.json)
        writer.add(
            "long-range-forgery-from-genesis",
            "The stated long-range limit: Beijing (removed) with Guangdong and Zhejiang, 30 of the old set's 40, sign a header 7 that shows the revoked certificate valid. From genesis alone it cannot be told from the truth.",
            genesis: genesis,
            receipt: forgeryFile,
            question: question,
            expected: .valid("valid")
        )
        writer.add(
            "long-range-forgery-with-checkpoint",
            "The same forgery with the checkpoint at height 3 pinned: the replaced set can no longer vouch for a later header.",
            genesis: genesis,
            checkpoints: [checkpoint3],
            receipt: forgeryFile,
            question: question,
            expected: .notValid(failed: "validator sets")
        )
        let based = try writer.write("certificate-from-checkpoint-3.json", try receipt(6, checkpoint: 3).json)
        writer.add(
            "certificate-from-checkpoint",
            "A receipt at block 6 whose hand-offs start at the checkpoint at height 3, with that checkpoint pinned.",
            genesis: genesis,
            checkpoints: [checkpoint3],
            receipt: based,
            question: question,
            expected: .notValid(status: "revoked")
        )
        writer.add(
            "certificate-checkpoint-not-pinned",
            "The same receipt without its checkpoint: the verifier says which checkpoint it needs.",
            genesis: genesis,
            receipt: based,
            question: question,
            expected: .couldNotCheck
        )
        writer.add(
            "certificate-below-checkpoint",
            "A genuine receipt as of block 3 while the checkpoint at height 5 is pinned: state below a pinned checkpoint is not read.",
            genesis: genesis,
            checkpoints: [checkpoint5],
            receipt: validFile,
            question: question,
            expected: .couldNotCheck
        )

        // Transactions.
        let anchorID = try #require(genuine.transaction).transaction.id(hash: hash)
        let anchor = try #require(try builder.transaction(anchorID))
        let anchorFile = try writer.write("transaction-anchor.json", anchor.json)
        func transactionQuestion(_ id: Digest?) -> JSONValue {
            .object([JSONMember("kind", .string("transaction")), JSONMember("tx", id.map { .string($0.hex) } ?? .null)])
        }
        writer.add(
            "transaction-committed",
            "The certificate's anchoring transaction, committed and applied in block 1, asked for by its hash.",
            genesis: genesis,
            receipt: anchorFile,
            question: transactionQuestion(anchorID),
            expected: .valid()
        )
        writer.add(
            "transaction-any",
            "The same receipt, checked for whichever transaction it proves.",
            genesis: genesis,
            receipt: anchorFile,
            question: transactionQuestion(nil),
            expected: .valid()
        )
        let revokeID = try #require(revokedEvidence.transaction).transaction.id(hash: hash)
        writer.add(
            "transaction-another-hash",
            "The anchoring's receipt offered for the revocation's hash: every proof holds, for another transaction.",
            genesis: genesis,
            receipt: anchorFile,
            question: transactionQuestion(revokeID),
            expected: .notValid(failed: "transaction")
        )
        guard case .transaction(let tx, let handOffs) = anchor.content else {
            throw StateReadError("not a transaction")
        }
        let stretched = TransactionEvidence(
            transaction: tx.transaction,
            result: tx.result,
            transactionProof: InclusionProof(
                leafIndex: tx.transactionProof.leafIndex,
                treeSize: tx.transactionProof.treeSize + 3,
                hashes: tx.transactionProof.hashes
            ),
            resultProof: tx.resultProof,
            header: tx.header,
            certificate: tx.certificate
        )
        writer.add(
            "transaction-proof-for-another-size",
            "The inclusion proof claims a tree of 5 in a block whose header counts 1 transaction.",
            genesis: genesis,
            receipt: try writer.write(
                "transaction-wrong-size.json",
                Receipt(.transaction(stretched, handOffs: handOffs)).json
            ),
            question: transactionQuestion(anchorID),
            expected: .notValid(failed: "inclusion proof")
        )
    }

    /// The Batch chain: five documents anchored as one batch in block 1.
    static func documents(_ suite: CryptoSuiteID, _ writer: inout Writer) throws {
        let batch = try DocumentVerifierTests.Batch(suite: suite)
        let genesis = try writer.write("batch-genesis.json", batch.chain.fixture.genesis.json)
        let evidence = try batch.batch
        func question(_ file: String) -> JSONValue {
            .object([JSONMember("kind", .string("document")), JSONMember("file", .string(file))])
        }
        let second = try writer.write("diploma-2.txt", DocumentVerifierTests.documents[1])
        let third = try writer.write("diploma-3.txt", DocumentVerifierTests.documents[2])
        let receipt = Receipt(.document(DocumentEvidence(batch: evidence, path: batch.paths[1]), handOffs: []))
        let file = try writer.write("document-2.json", receipt.json)
        writer.add(
            "document-in-batch",
            "Document 2 of a batch of 5, with its path.",
            genesis: genesis,
            receipt: file,
            question: question(second),
            expected: .valid()
        )
        writer.add(
            "document-in-batch-binary",
            "The same document receipt in binary.",
            genesis: genesis,
            receipt: try writer.write("document-2.civr", receipt.binary),
            question: question(second),
            expected: .valid()
        )
        writer.add(
            "document-not-in-batch",
            "Document 3 checked with document 2's receipt: the batch is proven, the file is not in it.",
            genesis: genesis,
            receipt: file,
            question: question(third),
            expected: .notValid(failed: "document")
        )
        let path = batch.paths[1]
        let resized = Receipt(
            .document(
                DocumentEvidence(
                    batch: evidence,
                    path: InclusionProof(leafIndex: path.leafIndex, treeSize: 8, hashes: path.hashes)
                ),
                handOffs: []
            )
        )
        writer.add(
            "document-path-for-another-size",
            "Document 2's path claimed for a tree of 8 where the batch record counts 5 documents.",
            genesis: genesis,
            receipt: try writer.write("document-wrong-size.json", resized.json),
            question: question(second),
            expected: .notValid(failed: "document")
        )
    }
}

extension JSONValue {
    /// This document with the member at `path` (object keys) set to `value`; anything else is unchanged.
    func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let key = path.first, case .object(let members) = self else { return path.isEmpty ? value : self }
        return .object(
            members.map { member in
                member.key == key ? JSONMember(key, member.value.setting(Array(path.dropFirst()), to: value)) : member
            }
        )
    }
}
