import LedgerCore
import LedgerCrypto

/// What proves that a batch root was anchored (the body of a batch receipt, `docs/receipts.md`): the root,
/// its record (who anchored it, how many documents, in which block; nil when the proof shows it was never
/// anchored), the record's state proof against the header's state root, the header, its commit certificate,
/// and the anchoring transaction with its inclusion proof. A document in the batch adds its Merkle path
/// (`DocumentEvidence`); the node cannot, for it never sees the documents.
public struct BatchEvidence: Hashable, Sendable, CanonicalCodable {
    /// The batch root it is about. Not trusted: the verifier checks the document's path leads to it.
    public let root: Digest
    public let record: BatchRecord?
    public let proof: StateProof
    public let header: BlockHeader
    public let certificate: CommitCertificate
    /// The anchoring transaction; nil without a record.
    public let transaction: TransactionEvidence?

    public init(
        root: Digest,
        record: BatchRecord?,
        proof: StateProof,
        header: BlockHeader,
        certificate: CommitCertificate,
        transaction: TransactionEvidence?
    ) {
        self.root = root
        self.record = record
        self.proof = proof
        self.header = header
        self.certificate = certificate
        self.transaction = transaction
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(root)
        writer.write(record)
        writer.write(proof)
        writer.write(header)
        writer.write(certificate)
        writer.write(transaction)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        root = try reader.read(Digest.self)
        record = try reader.readOptional(BatchRecord.self)
        proof = try reader.read(StateProof.self)
        header = try reader.read(BlockHeader.self)
        certificate = try reader.read(CommitCertificate.self)
        transaction = try reader.readOptional(TransactionEvidence.self)
    }
}

/// A document's place in an anchored batch: the batch's evidence and the document's RFC 9162 inclusion proof
/// (its leaf is H(0x00 ‖ digest of the document)).
public struct DocumentEvidence: Hashable, Sendable, CanonicalCodable {
    public let batch: BatchEvidence
    public let path: InclusionProof

    public init(batch: BatchEvidence, path: InclusionProof) {
        self.batch = batch
        self.path = path
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(batch)
        writer.write(path)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        batch = try reader.read(BatchEvidence.self)
        path = try reader.read(InclusionProof.self)
    }
}
