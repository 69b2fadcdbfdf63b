import Hummingbird
import LedgerCore
import LedgerCrypto
import Node
import Storage
import Verifier

/// Certificates and receipts (`docs/api.md`, `docs/receipts.md`). A certificate is looked up by its issuer
/// and key, which the client derives from the printed number and verification code (`docs/privacy.md`): the
/// node sees neither, nor the document.
extension NodeAPI {
    /// `GET /v1/certificates/{issuer}/{key}`: status and history at the latest height (trusting this node;
    /// for proof, ask for the receipt).
    static func certificate(_ issuer: String, _ key: String, node: LedgerNode) throws -> Response {
        let subject = try certificateRef(issuer, key)
        let proven: ProvenRecord<CertificateRecord>
        do { proven = try LedgerQueries(reader: node.store).certificate(subject) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        guard let record = proven.record else {
            throw ProblemDocument(
                .notFound,
                "unknown_certificate",
                "No such certificate",
                "\(subject.issuer) has anchored no certificate with this key as of height \(proven.height)"
            )
        }
        return json(
            .object([
                JSONMember("issuer", .string(subject.issuer.value)),
                JSONMember("key", .string(subject.key.hex)),
                JSONMember("height", .unsigned(proven.height)),
                JSONMember("document_commitment", .string(record.documentCommitment.hex)),
                JSONMember("certificate", record.json),
            ])
        )
    }

    /// `GET /v1/certificates/{issuer}/{key}/receipt[?format=binary]`: the certificate's receipt at the latest
    /// height — its record with proofs, or the proof that it is not anchored.
    static func certificateReceipt(
        _ issuer: String,
        _ key: String,
        request: Request,
        node: LedgerNode
    ) throws
        -> Response
    {
        let subject = try certificateRef(issuer, key)
        let checkpoint = try checkpointHeight(request, node: node)
        let builder = ReceiptBuilder(source: node.store, rules: node.consensus.genesis.rules)
        let built: Receipt
        do { built = try builder.certificate(subject, checkpoint: checkpoint) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        return try receipt(built, request)
    }

    private static func certificateRef(_ issuer: String, _ key: String) throws -> CertificateRef {
        guard let issuer = OrgID(issuer) else {
            throw ProblemDocument(
                .badRequest,
                "malformed_member",
                "Malformed member id",
                "\(issuer) is not a member id"
            )
        }
        return CertificateRef(issuer: issuer, key: try digest(key, code: "malformed_key", what: "certificate key"))
    }

    /// `GET /v1/txs/{hash}/receipt[?format=binary]`: a committed transaction's receipt.
    static func transactionReceipt(_ text: String, request: Request, node: LedgerNode) throws -> Response {
        let id = try digest(text, code: "malformed_hash", what: "hash")
        let checkpoint = try checkpointHeight(request, node: node)
        let builder = ReceiptBuilder(source: node.store, rules: node.consensus.genesis.rules)
        let receipt: Receipt?
        do { receipt = try builder.transaction(id, checkpoint: checkpoint) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        guard let receipt else {
            throw ProblemDocument(
                .notFound,
                "unknown_transaction",
                "Unknown transaction",
                "no committed transaction has hash \(id.hex)"
            )
        }
        return try self.receipt(receipt, request)
    }

    /// `GET /v1/batches/{root}/receipt[?format=binary][&checkpoint=H]`: a batch root's receipt at the latest
    /// height — its record and anchoring transaction with proofs, or the proof it was never anchored. The
    /// node never sees a batch's documents; their holders add each one's path (`civic receipt --batch-proofs`).
    static func batchReceipt(_ text: String, request: Request, node: LedgerNode) throws -> Response {
        let root = try digest(text, code: "malformed_root", what: "batch root")
        let checkpoint = try checkpointHeight(request, node: node)
        let built: Receipt
        do {
            built = try ReceiptBuilder(source: node.store, rules: node.consensus.genesis.rules).batch(
                root,
                checkpoint: checkpoint
            )
        } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        return try receipt(built, request)
    }

    /// `GET /v1/checkpoint[?height=H]`: a checkpoint at `H` (default: the latest committed height) — its
    /// header, commit certificate and next validator set, with the hand-offs from genesis
    /// (`docs/verifier.md`, "Checkpoints"). The file `civic checkpoint` writes.
    static func checkpoint(_ request: Request, node: LedgerNode) throws -> Response {
        let height: UInt64
        if let text = request.uri.queryParameters.get("height") {
            height = try committedBlock(String(text), node: node).0
        } else {
            height = node.consensus.committedHeight()
        }
        guard height > 0 else {
            throw ProblemDocument(.notFound, "unknown_block", "No block yet", "this node has committed no block yet")
        }
        let rules = node.consensus.genesis.rules
        let checkpoint: Checkpoint
        do { checkpoint = try ReceiptBuilder(source: node.store, rules: rules).checkpoint(at: height) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        return json(checkpoint.json(hash: rules.suite.hashFunction))
    }

    /// The `checkpoint` query parameter: a committed height whose checkpoint the receipt's hand-offs start at.
    private static func checkpointHeight(_ request: Request, node: LedgerNode) throws -> UInt64? {
        guard let text = request.uri.queryParameters.get("checkpoint") else { return nil }
        return try committedBlock(String(text), node: node).0
    }

    /// JSON, or the binary twin for `?format=binary` or `Accept: application/octet-stream`.
    private static func receipt(_ receipt: Receipt, _ request: Request) throws -> Response {
        let format = request.uri.queryParameters.get("format")
        let binary = format == "binary" || (format == nil && request.headers[.accept] == "application/octet-stream")
        guard format == nil || format == "binary" || format == "json" else {
            throw ProblemDocument(.badRequest, "malformed_format", "Unknown format", "format is json or binary")
        }
        guard binary else { return json(receipt.json) }
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: receipt.binary))
        )
    }

    /// A 64-hex-digit digest from the path.
    static func digest(_ text: String, code: String, what: String) throws -> Digest {
        guard let bytes = Hex.decode(text), let digest = Digest(bytes: bytes) else {
            throw ProblemDocument(.badRequest, code, "Malformed \(what)", "expected 64 hex digits")
        }
        return digest
    }
}
