import LedgerCore
import LedgerCrypto

/// What proves a certificate's standing at one height (the body of a certificate receipt,
/// `docs/receipts.md`): the number printed on the certificate, the record (nil when the proof shows the
/// certificate was never anchored), its state proof against the header's state root, the header, its commit
/// certificate, the validator-set hand-offs from genesis, and the transaction that recorded the record's
/// latest event with its inclusion proof.
public struct CertificateEvidence: Hashable, Sendable, CanonicalCodable {
    /// The certificate number, as asked for; empty when the evidence was fetched by key alone. It is not
    /// trusted: the state proof is about the key that this number and the document's digest make.
    public let number: String
    public let record: CertificateRecord?
    public let proof: StateProof
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let handOffs: [ValidatorHandOff]
    /// The anchoring or status-change transaction of the record's latest event; nil without a record.
    public let transaction: TransactionEvidence?

    /// The most hand-offs evidence may carry: far more validator-set changes than a consortium makes.
    public static let maximumHandOffs = 10_000
    /// The longest certificate number evidence may carry.
    public static let maximumNumberLength = 256

    public init(
        number: String,
        record: CertificateRecord?,
        proof: StateProof,
        header: BlockHeader,
        certificate: CommitCertificate,
        handOffs: [ValidatorHandOff],
        transaction: TransactionEvidence?
    ) {
        self.number = number
        self.record = record
        self.proof = proof
        self.header = header
        self.certificate = certificate
        self.handOffs = handOffs
        self.transaction = transaction
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(number)
        writer.write(record)
        writer.write(proof)
        writer.write(header)
        writer.write(certificate)
        writer.write(handOffs)
        writer.write(transaction)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        number = try reader.readString(maxLength: Self.maximumNumberLength, "certificate number")
        record = try reader.readOptional(CertificateRecord.self)
        proof = try reader.read(StateProof.self)
        header = try reader.read(BlockHeader.self)
        certificate = try reader.read(CommitCertificate.self)
        handOffs = try reader.readArray(of: ValidatorHandOff.self, maxCount: Self.maximumHandOffs, "hand-offs")
        transaction = try reader.readOptional(TransactionEvidence.self)
    }
}
