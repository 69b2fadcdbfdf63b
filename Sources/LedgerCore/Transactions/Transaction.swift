/// The unsigned body of a transaction: which network, which member account, which sequence number
/// (replay protection: each account's transactions apply in strict sequence), and what it does.
public struct Transaction: Hashable, Sendable, CanonicalCodable {
    /// The format version written first; decoders refuse any other.
    /// 2 since issue 16: certificates are named by issuer and key, with a document commitment; 3: subsidy
    /// programmes are registered and batches name one, with canonical periods.
    public static let formatVersion: UInt8 = 3
    /// The largest encoded public key (SM2 uncompressed).
    public static let maximumSenderLength = 65

    public let chainID: ChainID
    /// The sender's account public key in its suite's canonical encoding (33 or 65 bytes); checked against
    /// the member registry and the signature when the transaction is admitted.
    public let sender: [UInt8]
    public let sequence: UInt64
    public let payload: TransactionPayload

    public init(chainID: ChainID, sender: [UInt8], sequence: UInt64, payload: TransactionPayload) {
        self.chainID = chainID
        self.sender = sender
        self.sequence = sequence
        self.payload = payload
    }

    /// The bytes the sender signs for `network`: domain `transaction`, the chain id, the genesis hash, then
    /// this encoding.
    public func signedBytes(network: NetworkID) -> [UInt8] {
        SigningDomain.transaction.signedBytes(network: network, encoding: canonicalBytes)
    }

    /// The leading fields admission checks first.
    public var envelope: TransactionEnvelope { TransactionEnvelope(chainID: chainID, sender: sender) }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(Self.formatVersion)
        writer.write(chainID)
        writer.write(bytes: sender)
        writer.write(sequence)
        writer.write(payload)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let envelope = try TransactionEnvelope(decoding: &reader)
        chainID = envelope.chainID
        sender = envelope.sender
        sequence = try reader.read(UInt64.self)
        payload = try reader.read(TransactionPayload.self)
    }
}
