import LedgerCrypto

/// The precommit signatures that made a block final: validators holding more than 2/3 of the voting power
/// signed the block hash at this height and round (`Consensus/SPEC.md` defines the signed bytes).
public struct CommitCertificate: Hashable, Sendable, CanonicalCodable {
    /// One validator's precommit: its position in the validator set and its signature.
    public struct Signature: Hashable, Sendable, CanonicalCodable {
        public let validatorIndex: UInt16
        public let signature: LedgerCrypto.Signature

        public init(validatorIndex: UInt16, signature: LedgerCrypto.Signature) {
            self.validatorIndex = validatorIndex
            self.signature = signature
        }

        public func encode(to writer: inout CanonicalWriter) {
            writer.write(validatorIndex)
            writer.write(signature)
        }

        public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
            validatorIndex = try reader.read(UInt16.self)
            signature = try reader.read(LedgerCrypto.Signature.self)
        }
    }

    public let height: UInt64
    public let round: UInt32
    public let blockHash: Digest
    public let signatures: [Signature]

    public init(height: UInt64, round: UInt32, blockHash: Digest, signatures: [Signature]) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.signatures = signatures
    }

    public func hash(_ function: any HashFunction) -> Digest { function.hash(canonicalBytes) }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(height)
        writer.write(round)
        writer.write(blockHash)
        writer.write(signatures)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        height = try reader.read(UInt64.self)
        round = try reader.read(UInt32.self)
        blockHash = try reader.read(Digest.self)
        signatures = try reader.readArray(of: Signature.self, maxCount: Int(UInt16.max), "commit signatures")
    }
}
