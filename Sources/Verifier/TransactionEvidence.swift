import LedgerCore
import LedgerCrypto

/// What proves that a transaction was committed and how it ended (`docs/receipts.md`): the signed
/// transaction, its result, their RFC 6962 inclusion proofs in the block's transactions and results roots,
/// and that block's header with its commit certificate. The hand-offs that make the header trusted travel
/// beside it, in the receipt.
public struct TransactionEvidence: Hashable, Sendable, CanonicalCodable {
    public let transaction: SignedTransaction
    public let result: TransactionResult
    /// The transaction's leaf in `header.transactionsRoot`; its index is the transaction's place in the block.
    public let transactionProof: InclusionProof
    /// The result's leaf in `header.resultsRoot`, at the same index.
    public let resultProof: InclusionProof
    public let header: BlockHeader
    public let certificate: CommitCertificate

    public init(
        transaction: SignedTransaction,
        result: TransactionResult,
        transactionProof: InclusionProof,
        resultProof: InclusionProof,
        header: BlockHeader,
        certificate: CommitCertificate
    ) {
        self.transaction = transaction
        self.result = result
        self.transactionProof = transactionProof
        self.resultProof = resultProof
        self.header = header
        self.certificate = certificate
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(transaction)
        writer.write(result)
        writer.write(transactionProof)
        writer.write(resultProof)
        writer.write(header)
        writer.write(certificate)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        transaction = try reader.read(SignedTransaction.self)
        result = try reader.read(TransactionResult.self)
        transactionProof = try reader.read(InclusionProof.self)
        resultProof = try reader.read(InclusionProof.self)
        header = try reader.read(BlockHeader.self)
        certificate = try reader.read(CommitCertificate.self)
    }
}
