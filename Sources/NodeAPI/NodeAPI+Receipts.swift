import Hummingbird
import LedgerCore
import LedgerCrypto
import Node
import Storage
import Verifier

/// Certificates and receipts (`docs/api.md`, `docs/receipts.md`). A certificate is looked up by its key,
/// H(number ‖ document digest), which the client computes: the node never sees the number with the document.
extension NodeAPI {
    /// `GET /v1/certificates/{key}`: status and history at the latest height (trusting this node; for proof,
    /// ask for the receipt).
    static func certificate(_ text: String, node: LedgerNode) throws -> Response {
        let key = try digest(text, code: "malformed_key", what: "certificate key")
        let proven: ProvenRecord<CertificateRecord>
        do { proven = try LedgerQueries(reader: node.store).certificate(key) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        guard let record = proven.record else {
            throw ProblemDocument(
                .notFound,
                "unknown_certificate",
                "No such certificate",
                "no certificate with this key is anchored as of height \(proven.height)"
            )
        }
        return json(
            .object([
                JSONMember("key", .string(key.hex)),
                JSONMember("height", .unsigned(proven.height)),
                JSONMember("document_digest", .string(record.documentDigest.hex)),
                JSONMember("certificate", record.json),
            ])
        )
    }

    /// `GET /v1/certificates/{key}/receipt[?number=N][&format=binary]`: the certificate's receipt at the
    /// latest height — its record with proofs, or the proof that it is not anchored.
    static func certificateReceipt(_ text: String, request: Request, node: LedgerNode) throws -> Response {
        let key = try digest(text, code: "malformed_key", what: "certificate key")
        let number = request.uri.queryParameters.get("number") ?? ""
        guard number.utf8.count <= CertificateEvidence.maximumNumberLength else {
            throw ProblemDocument(
                .badRequest,
                "malformed_number",
                "Malformed number",
                "a certificate number is at most \(CertificateEvidence.maximumNumberLength) bytes"
            )
        }
        let builder = ReceiptBuilder(source: node.store, rules: node.consensus.genesis.rules)
        let built: Receipt
        do { built = try builder.certificate(key: key, number: number) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        return try receipt(built, request)
    }

    /// `GET /v1/txs/{hash}/receipt[?format=binary]`: a committed transaction's receipt.
    static func transactionReceipt(_ text: String, request: Request, node: LedgerNode) throws -> Response {
        let id = try digest(text, code: "malformed_hash", what: "hash")
        let builder = ReceiptBuilder(source: node.store, rules: node.consensus.genesis.rules)
        let receipt: Receipt?
        do { receipt = try builder.transaction(id) } catch {
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
