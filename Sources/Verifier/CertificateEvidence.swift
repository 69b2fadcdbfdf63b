import LedgerCore
import LedgerCrypto

/// What proves a certificate's standing at one height (the body of a certificate receipt,
/// `docs/receipts.md`): which certificate it is about, the record (nil when the proof shows the
/// certificate was never anchored), its state proof against the header's state root, the header, its commit
/// certificate, the validator-set hand-offs from genesis, and the transaction that recorded the record's
/// latest event with its inclusion proof.
public struct CertificateEvidence: Hashable, Sendable, CanonicalCodable {
    /// The certificate it is about. Not trusted: the verifier checks it is the one the printed number and
    /// verification code make, and the state proof is about that certificate's key.
    public let subject: CertificateRef
    public let record: CertificateRecord?
    public let proof: StateProof
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let handOffs: [ValidatorHandOff]
    /// The anchoring or status-change transaction of the record's latest event; nil without a record.
    public let transaction: TransactionEvidence?

    /// The most hand-offs evidence may carry: far more validator-set changes than a consortium makes.
    public static let maximumHandOffs = 10_000
    public init(
        subject: CertificateRef,
        record: CertificateRecord?,
        proof: StateProof,
        header: BlockHeader,
        certificate: CommitCertificate,
        handOffs: [ValidatorHandOff],
        transaction: TransactionEvidence?
    ) {
        self.subject = subject
        self.record = record
        self.proof = proof
        self.header = header
        self.certificate = certificate
        self.handOffs = handOffs
        self.transaction = transaction
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(subject)
        writer.write(record)
        writer.write(proof)
        writer.write(header)
        writer.write(certificate)
        writer.write(handOffs)
        writer.write(transaction)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        subject = try reader.read(CertificateRef.self)
        record = try reader.readOptional(CertificateRecord.self)
        proof = try reader.read(StateProof.self)
        header = try reader.read(BlockHeader.self)
        certificate = try reader.read(CommitCertificate.self)
        handOffs = try reader.readArray(of: ValidatorHandOff.self, maxCount: Self.maximumHandOffs, "hand-offs")
        transaction = try reader.readOptional(TransactionEvidence.self)
    }
}
