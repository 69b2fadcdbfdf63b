import LedgerCore
import LedgerCrypto

/// One change of the validator set, provable from the set before it (`docs/verifier.md`, "Hand-offs"): the
/// last header the old set signed before the change, its commit certificate, and the new set. The header's
/// `nextValidatorSetHash` names the new set, and the old set's certificate makes that header final, so a
/// verifier that trusts the old set can trust the new one.
public struct ValidatorHandOff: Hashable, Sendable, CanonicalCodable {
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let next: ValidatorSet

    public init(header: BlockHeader, certificate: CommitCertificate, next: ValidatorSet) {
        self.header = header
        self.certificate = certificate
        self.next = next
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(header)
        writer.write(certificate)
        writer.write(next)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        header = try reader.read(BlockHeader.self)
        certificate = try reader.read(CommitCertificate.self)
        next = try reader.read(ValidatorSet.self)
    }
}
