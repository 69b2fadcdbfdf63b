import CivicCommandLine
import LedgerCore
import LedgerCrypto
import Verifier

/// What `civic verify` was asked about, which every answer must be bound to: a certificate (its document's
/// digest, the number and code printed on it, and the certificate they make), a document in a batch, or a
/// transaction.
enum VerificationQuestion {
    case certificate(document: Digest, number: String, code: VerificationCode, subject: CertificateRef)
    /// A document in a batch: its digest, and — online, where the node gives only the batch's evidence — the
    /// batch root and the document's path from its proofs file. Offline, the receipt carries the path.
    case document(Digest, batch: (root: Digest, path: InclusionProof)?)
    /// A transaction by its hash; nil for an offline receipt checked for whichever transaction it proves.
    case transaction(Digest?)

    /// The node route that answers it.
    var path: String? {
        switch self {
        case .certificate(_, _, _, let subject): return NodeClient.certificateReceiptPath(subject)
        case .document(_, let batch?): return "/v1/batches/\(batch.root.hex)/receipt"
        case .transaction(let id?): return "/v1/txs/\(id.hex)/receipt"
        case .document(_, .none), .transaction(nil): return nil
        }
    }

    /// Why `receipt` is not about this question, or nil when it is. Online, an answer about something else is
    /// the node's fault and means "could not check".
    func mismatch(_ receipt: Receipt, hash: any HashFunction) -> String? {
        switch (self, receipt.content) {
        case (.certificate(_, _, _, let subject), .certificate(let evidence)):
            return evidence.subject == subject ? nil : "a receipt for another certificate"
        case (.transaction(let id?), .transaction(let evidence, _)):
            let found = evidence.transaction.id(hash: hash)
            return found == id ? nil : "the receipt of another transaction (\(found.hex.prefix(16))…)"
        case (.transaction(nil), .transaction): return nil
        case (.document(_, let batch?), .batch(let evidence, _)):
            return evidence.root == batch.root ? nil : "the receipt of another batch"
        case (.document(_, .none), .document): return nil
        case (.document(_, .some), .document):
            return "a document receipt, which carries its own path: leave out --batch-proofs"
        case (.certificate, _): return "a \(receipt.kind) receipt, not a certificate's"
        case (.transaction, _): return "a \(receipt.kind) receipt, not a transaction's"
        case (.document, _): return "a \(receipt.kind) receipt, not a document's in a batch"
        }
    }

    /// The report on `receipt` under `trust`. A receipt of the wrong kind cannot be checked for this question.
    func verify(_ receipt: Receipt, trust: TrustedHistory) throws -> VerificationReport {
        switch (self, receipt.content) {
        case (.certificate(let document, let number, let code, _), .certificate(let evidence)):
            let verdict = CertificateVerifier.verify(
                documentDigest: document,
                number: number,
                code: code,
                evidence: evidence,
                trust: trust
            )
            return VerificationReport(certificate: verdict, number: number, trust: trust)
        case (.document(let digest, .none), .document(let evidence, let handOffs)):
            return VerificationReport(
                document: DocumentVerifier.verify(
                    documentDigest: digest,
                    evidence: evidence,
                    handOffs: handOffs,
                    trust: trust
                ),
                trust: trust
            )
        case (.document(let digest, let batch?), .batch(let evidence, let handOffs)):
            return VerificationReport(
                document: DocumentVerifier.verify(
                    documentDigest: digest,
                    evidence: DocumentEvidence(batch: evidence, path: batch.path),
                    handOffs: handOffs,
                    trust: trust
                ),
                trust: trust
            )
        case (.transaction(let id), .transaction(let evidence, let handOffs)):
            let verdict = TransactionVerifier.verify(evidence, handOffs: handOffs, trust: trust, expected: id)
            return VerificationReport(
                transaction: verdict,
                payload: evidence.transaction.transaction.payload.name,
                trust: trust
            )
        default:
            let reason = mismatch(receipt, hash: trust.genesis.suite.suite.hashFunction) ?? "another kind of receipt"
            throw InputError(message: "this is \(reason): give the options for what it proves")
        }
    }
}
