import LedgerCore
import LedgerCrypto

/// The outcome of checking a transaction receipt: committed in a final block, with the result it had.
public struct TransactionVerdict: Sendable {
    public let checks: [VerificationCheck]
    public let id: Digest
    /// The result proven with the transaction; meaningful when every check passed.
    public let result: TransactionResult
    public let height: UInt64
    public let time: UInt64

    /// Committed in a final block of this chain (whether it applied or was rejected is `result`).
    public var isProven: Bool { checks.allSatisfy(\.passed) }
}

/// Checks that a transaction was committed, trusting only the genesis file: the block's header is final
/// (`HeaderVerifier`), the transaction and its result are leaves of the header's transactions and results
/// roots at the same index (RFC 9162 §2.1.3), and the transaction is for this chain and correctly signed.
/// Pure.
public enum TransactionVerifier {
    /// Checks `evidence`; with `expected`, also that it is that transaction's (a **transaction** check, made
    /// last), so a receipt of another transaction never stands for the one asked about.
    public static func verify(
        _ evidence: TransactionEvidence,
        handOffs: [ValidatorHandOff],
        trust: TrustedHistory,
        expected: Digest? = nil
    ) -> TransactionVerdict {
        let genesis = trust.genesis
        let hash = genesis.suite.suite.hashFunction
        var (checks, history) = HeaderVerifier.checks(
            evidence.header,
            certificate: evidence.certificate,
            handOffs: handOffs,
            trust: trust
        )
        if history != nil { checks.append(inclusion(evidence, genesis: genesis)) }
        let id = evidence.transaction.id(hash: hash)
        if let expected, checks.allSatisfy(\.passed) {
            checks.append(
                VerificationCheck(
                    "transaction",
                    passed: id == expected,
                    id == expected
                        ? "the receipt is for transaction \(expected.hex.prefix(16))…, the one asked about"
                        : "the receipt is for transaction \(id.hex.prefix(16))…, not \(expected.hex.prefix(16))…, the one asked about"
                )
            )
        }
        return TransactionVerdict(
            checks: checks,
            id: id,
            result: evidence.result,
            height: evidence.header.height,
            time: evidence.header.time
        )
    }

    /// The "inclusion proof" check of evidence whose header is already trusted.
    static func inclusion(_ evidence: TransactionEvidence, genesis: Genesis) -> VerificationCheck {
        let suite = genesis.suite.suite
        let log = MerkleLog(hash: suite.hashFunction)
        let header = evidence.header
        func failed(_ detail: String) -> VerificationCheck {
            VerificationCheck("inclusion proof", passed: false, detail)
        }
        guard evidence.transactionProof.leafIndex == evidence.resultProof.leafIndex,
            evidence.transactionProof.treeSize == evidence.resultProof.treeSize
        else {
            return failed("the transaction and its result are proven at different places of the block")
        }
        // A path can lead to the same root under two tree sizes (leaf 0 of 3 and of 4 share one, RFC 9162
        // §2.1.3.2), so the size must be the block's: "number 1 of 4" in a block of 3 is a lie.
        guard evidence.transactionProof.treeSize == UInt64(header.transactionCount) else {
            return failed(
                "the proof is for a block of \(evidence.transactionProof.treeSize) transactions; block \(header.height) holds \(header.transactionCount)"
            )
        }
        do {
            try log.verify(
                evidence.transactionProof,
                leafHash: log.leafHash(evidence.transaction.canonicalBytes),
                root: header.transactionsRoot
            )
        } catch {
            return failed("the transaction is not in block \(header.height): \(error)")
        }
        do {
            try log.verify(
                evidence.resultProof,
                leafHash: log.leafHash(evidence.result.canonicalBytes),
                root: header.resultsRoot
            )
        } catch {
            return failed("the result is not the one block \(header.height) recorded: \(error)")
        }
        guard evidence.transaction.transaction.chainID == genesis.chainID,
            evidence.transaction.hasValidSignature(suite: suite, network: genesis.network)
        else {
            return failed("the transaction is not correctly signed for this chain")
        }
        let id = evidence.transaction.id(hash: suite.hashFunction)
        return VerificationCheck(
            "inclusion proof",
            passed: true,
            "transaction \(id.hex.prefix(16))… is number \(evidence.transactionProof.leafIndex + 1) of \(evidence.transactionProof.treeSize) in block \(header.height), result: \(evidence.result.code)"
        )
    }
}
