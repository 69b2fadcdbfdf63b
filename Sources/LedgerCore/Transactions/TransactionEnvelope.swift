/// The leading fields of a transaction's encoding — format version, chain id and sender — read without the
/// rest: all that admission's cheapest checks need (another chain, a sender that can send nothing), so junk
/// is refused before its payload is decoded, its id hashed or its signature verified (`docs/api.md`, "Limits").
/// `Transaction` decodes through it, so the two cannot read the layout differently.
public struct TransactionEnvelope: Hashable, Sendable {
    public let chainID: ChainID
    /// The sender's public key as encoded (33 or 65 bytes).
    public let sender: [UInt8]

    public init(chainID: ChainID, sender: [UInt8]) {
        self.chainID = chainID
        self.sender = sender
    }

    /// Reads the envelope at the start of a signed transaction's canonical bytes; what follows is not read.
    public init(peeking encoded: [UInt8]) throws(CanonicalDecodingError) {
        var reader = CanonicalReader(encoded)
        try self.init(decoding: &reader)
    }

    /// Reads the version, chain id and sender, refusing any version but `Transaction.formatVersion`.
    init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let version = try reader.read(UInt8.self)
        guard version == Transaction.formatVersion else {
            throw CanonicalDecodingError(.unsupportedVersion, at: start, "transaction format version \(version)")
        }
        chainID = try reader.read(ChainID.self)
        let senderStart = reader.offset
        sender = try reader.readBytes(maxLength: Transaction.maximumSenderLength, "sender")
        guard sender.count == 33 || sender.count == 65 else {
            throw CanonicalDecodingError(.invalidValue, at: senderStart, "sender key must be 33 or 65 bytes")
        }
    }
}
