import LedgerCore
import LedgerCrypto

/// What proves a certificate's standing at one height (the core of a certificate receipt, `docs/verifier.md`):
/// the record (nil when the proof shows the certificate was never anchored), its state proof against the
/// header's state root, the header, its commit certificate, and the validator-set hand-offs from genesis.
public struct CertificateEvidence: Hashable, Sendable, CanonicalCodable {
    public let record: CertificateRecord?
    public let proof: StateProof
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let handOffs: [ValidatorHandOff]

    /// The most hand-offs evidence may carry: far more validator-set changes than a consortium makes.
    public static let maximumHandOffs = 10_000

    public init(
        record: CertificateRecord?,
        proof: StateProof,
        header: BlockHeader,
        certificate: CommitCertificate,
        handOffs: [ValidatorHandOff]
    ) {
        self.record = record
        self.proof = proof
        self.header = header
        self.certificate = certificate
        self.handOffs = handOffs
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(record)
        writer.write(proof)
        writer.write(header)
        writer.write(certificate)
        writer.write(handOffs)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        record = try reader.readOptional(CertificateRecord.self)
        proof = try reader.read(StateProof.self)
        header = try reader.read(BlockHeader.self)
        certificate = try reader.read(CommitCertificate.self)
        handOffs = try reader.readArray(of: ValidatorHandOff.self, maxCount: Self.maximumHandOffs, "hand-offs")
    }
}
