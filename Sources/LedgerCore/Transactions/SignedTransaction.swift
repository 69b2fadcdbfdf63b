import LedgerCrypto

/// A transaction with its sender's 64-byte signature over `Transaction.signedBytes`.
/// Its id is the suite hash of this whole encoding.
public struct SignedTransaction: Hashable, Sendable, CanonicalCodable {
    /// The largest encoded transaction a node accepts (genesis may set a lower limit).
    public static let maximumEncodedSize = 1024 * 1024

    public let transaction: Transaction
    public let signature: Signature

    public init(transaction: Transaction, signature: Signature) {
        self.transaction = transaction
        self.signature = signature
    }

    /// Signs `transaction` with `key` for `network`.
    public init(signing transaction: Transaction, with key: PrivateKey, for network: NetworkID) throws(CryptoError) {
        self.transaction = transaction
        signature = try key.suite.suite.sign(transaction.signedBytes(network: network), with: key)
    }

    /// Decodes a whole signed transaction, refusing inputs above `maximumEncodedSize`.
    public init(encoded bytes: [UInt8]) throws(CanonicalDecodingError) {
        try self.init(canonicalBytes: bytes, maximumSize: Self.maximumEncodedSize)
    }

    /// The transaction id under `hash`.
    public func id(hash: any HashFunction) -> Digest { hash.hash(canonicalBytes) }

    /// True when the signature is the sender key's, under `suite`, for `network`.
    public func hasValidSignature(suite: any CryptoSuite, network: NetworkID) -> Bool {
        // try?: a key that does not decode signed nothing.
        guard let key = try? suite.publicKey(encoded: transaction.sender) else { return false }
        return suite.verify(signature, of: transaction.signedBytes(network: network), by: key)
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(transaction)
        writer.write(signature)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        transaction = try reader.read(Transaction.self)
        signature = try reader.read(Signature.self)
    }
}
