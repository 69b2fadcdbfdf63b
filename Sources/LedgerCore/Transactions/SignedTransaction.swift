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

    /// Signs `transaction` with `key`.
    public init(signing transaction: Transaction, with key: PrivateKey) throws(CryptoError) {
        self.transaction = transaction
        signature = try key.suite.suite.sign(transaction.signedBytes, with: key)
    }

    /// Decodes a whole signed transaction, refusing inputs above `maximumEncodedSize`.
    public init(encoded bytes: [UInt8]) throws(CanonicalDecodingError) {
        try self.init(canonicalBytes: bytes, maximumSize: Self.maximumEncodedSize)
    }

    /// The transaction id under `hash`.
    public func id(hash: any HashFunction) -> Digest { hash.hash(canonicalBytes) }

    /// True when the signature is valid for the sender key under `suite`.
    public func hasValidSignature(suite: any CryptoSuite) -> Bool {
        // try?: a key that does not decode signed nothing.
        guard let key = try? suite.publicKey(encoded: transaction.sender) else { return false }
        return suite.verify(signature, of: transaction.signedBytes, by: key)
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
