import LedgerCore
import LedgerCrypto

/// The outcome of checking a document against a batch anchor (`docs/verifier.md`, "Documents in a batch").
public struct DocumentVerdict: Sendable {
    public let checks: [VerificationCheck]
    /// The batch's record, when the proof shows one; nil when it proves none is anchored (or a check failed).
    public let record: BatchRecord?
    public let height: UInt64
    public let time: UInt64
    /// The evidence proves what the ledger holds for this batch root — a record or its absence — whether or
    /// not the document is in the batch.
    public let proofHolds: Bool

    /// Proven anchored, and this document is in it. (A batch anchor never changes, so this holds at every
    /// later height too.)
    public var isValid: Bool { checks.allSatisfy(\.passed) && record != nil }
}

/// Checks that a document is in an anchored batch, trusting only what `trust` holds: the header is final
/// (`HeaderVerifier`); the state proof ties the batch record (or its absence) under the root to the header's
/// state root; the anchoring transaction is in a final block at the record's height and is exactly this
/// anchoring; and the document's path leads from H(0x00 ‖ its digest) to the root in a tree of the batch's
/// size. Pure.
public enum DocumentVerifier {
    public static func verify(
        documentDigest: Digest,
        evidence: DocumentEvidence,
        handOffs: [ValidatorHandOff],
        trust: TrustedHistory
    ) -> DocumentVerdict {
        let hash = trust.genesis.suite.suite.hashFunction
        let batch = evidence.batch
        let header = batch.header
        var checks: [VerificationCheck] = []
        func verdict(record: BatchRecord? = nil, proofHolds: Bool = false) -> DocumentVerdict {
            DocumentVerdict(
                checks: checks,
                record: record,
                height: header.height,
                time: header.time,
                proofHolds: proofHolds
            )
        }
        let (headerChecks, history) = HeaderVerifier.checks(
            header,
            certificate: batch.certificate,
            handOffs: handOffs,
            trust: trust
        )
        checks = headerChecks
        guard let history else { return verdict() }
        if let refusal = trust.refusesState(at: header.height) {
            checks.append(VerificationCheck("checkpoint", passed: false, refusal))
            return verdict()
        }
        let (stateCheck, outcome) = RecordProof.state(
            batch.proof,
            key: StateKeys(hash: hash).batch(batch.root),
            record: batch.record,
            header: header,
            hash: hash,
            otherKey: "the state proof is about another batch",
            absent: "no batch with root \(batch.root.hex.prefix(16))… is anchored as of height \(header.height)",
            present: { record in
                "batch \(batch.root.hex.prefix(16))… (\(record.leafCount) documents, \"\(record.label)\") is in the ledger state of block \(header.height)"
            }
        )
        checks.append(stateCheck)
        let record: BatchRecord
        switch outcome {
        case .present(let proven): record = proven
        case .absent: return verdict(proofHolds: true)
        case .failed: return verdict()
        }
        let inclusion = anchoring(batch, record: record, history: history)
        checks.append(inclusion)
        guard inclusion.passed else { return verdict() }
        let log = MerkleLog(hash: hash)
        let path = evidence.path
        guard path.treeSize == UInt64(record.leafCount), path.leafIndex < path.treeSize else {
            checks.append(
                VerificationCheck(
                    "document",
                    passed: false,
                    "the document's path is for a batch of \(path.treeSize), not this batch of \(record.leafCount)"
                )
            )
            return verdict(proofHolds: true)
        }
        do { try log.verify(path, leafHash: log.leafHash(documentDigest.bytes), root: batch.root) } catch {
            checks.append(
                VerificationCheck(
                    "document",
                    passed: false,
                    "this file (digest \(documentDigest.hex.prefix(16))…) is not document \(path.leafIndex + 1) of the batch's \(record.leafCount): the file was changed, or it is another document"
                )
            )
            return verdict(proofHolds: true)
        }
        checks.append(
            VerificationCheck(
                "document",
                passed: true,
                "this file is document \(path.leafIndex + 1) of \(record.leafCount) in the batch \(record.issuer) anchored"
            )
        )
        return verdict(record: record, proofHolds: true)
    }

    /// The "inclusion proof" check: the anchoring transaction is in a final block at the record's height,
    /// applied, and anchors exactly this root, size and label.
    static func anchoring(_ batch: BatchEvidence, record: BatchRecord, history: TrustedHistory) -> VerificationCheck {
        func failed(_ detail: String) -> VerificationCheck {
            VerificationCheck("inclusion proof", passed: false, detail)
        }
        guard let included = batch.transaction else {
            return failed("the evidence does not carry the transaction that anchored the batch")
        }
        if let failure = RecordProof.writer(included, at: record.height, header: batch.header, history: history) {
            return failure
        }
        guard case .batchAnchor(let anchor) = included.transaction.transaction.payload, anchor.root == batch.root,
            anchor.leafCount == record.leafCount, anchor.label == record.label
        else {
            return failed("the transaction did not anchor this batch")
        }
        let id = included.transaction.id(hash: history.genesis.suite.suite.hashFunction)
        return VerificationCheck(
            "inclusion proof",
            passed: true,
            "\(record.issuer) anchored the batch in transaction \(id.hex.prefix(16))…, block \(record.height)"
        )
    }
}
