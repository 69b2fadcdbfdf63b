import LedgerCore
import LedgerCrypto

/// The outcome of checking a certificate (`docs/verifier.md`, "Certificates").
public struct CertificateVerdict: Sendable {
    /// Every check, in the order made; a check that could not be made for an earlier failure is absent.
    public let checks: [VerificationCheck]
    /// The record, when every check passed and the ledger holds one for this document and number; nil when
    /// the evidence proves that none is anchored (or a check failed).
    public let record: CertificateRecord?
    /// The height and block time the evidence speaks for: nothing later is known to it.
    public let height: UInt64
    public let time: UInt64
    /// The evidence proves what the ledger holds for this certificate — a record or its absence — whether
    /// or not the document is the one anchored. False when any proof failed: the evidence proves nothing,
    /// which from a node means "could not check", never "not valid" (`docs/verifier.md`, "Online").
    public let proofHolds: Bool

    /// Proven, anchored, and valid or corrected (not revoked or superseded) as of `height`.
    public var isValid: Bool {
        checks.allSatisfy(\.passed) && record.map { !$0.status.isFinal } == true
    }
}

/// Checks a certificate document against evidence from the ledger, trusting only the genesis file: the
/// printed number and verification code give the certificate (issuer and key); the state proof must tie the
/// record (or its absence) under it to the header's state root; the header must be final (`HeaderVerifier`);
/// the record's document commitment must be this document's, under the code's secret. Pure.
public enum CertificateVerifier {
    public static func verify(
        documentDigest: Digest,
        number: String,
        code: VerificationCode,
        evidence: CertificateEvidence,
        trust: TrustedHistory
    ) -> CertificateVerdict {
        let genesis = trust.genesis
        let hash = genesis.suite.suite.hashFunction
        let header = evidence.header
        var checks: [VerificationCheck] = []
        func verdict(record: CertificateRecord? = nil, proofHolds: Bool = false) -> CertificateVerdict {
            CertificateVerdict(
                checks: checks,
                record: record,
                height: header.height,
                time: header.time,
                proofHolds: proofHolds
            )
        }

        let (headerChecks, history) = HeaderVerifier.checks(
            header,
            certificate: evidence.certificate,
            handOffs: evidence.handOffs,
            trust: trust
        )
        checks = headerChecks
        guard let history else { return verdict() }
        if let refusal = trust.refusesState(at: header.height) {
            checks.append(VerificationCheck("checkpoint", passed: false, refusal))
            return verdict()
        }

        let subject = CertificateRef(code: code, number: number, hash: hash)
        guard evidence.subject == subject else {
            checks.append(
                VerificationCheck(
                    "certificate",
                    passed: false,
                    "the evidence is about another certificate than number \(number) with verification code \(code.issuer)-…"
                )
            )
            return verdict()
        }
        let (stateCheck, outcome) = RecordProof.state(
            evidence.proof,
            key: StateKeys(hash: hash).certificate(subject),
            record: evidence.record,
            header: header,
            hash: hash,
            otherKey: "the state proof is about another certificate than number \(number) of \(subject.issuer)",
            absent:
                "no certificate with this number and verification code is anchored by \(subject.issuer) as of height \(header.height)",
            present: { _ in "the record is in the ledger state of block \(header.height)" }
        )
        checks.append(stateCheck)
        let record: CertificateRecord
        switch outcome {
        case .present(let proven): record = proven
        case .absent: return verdict(proofHolds: true)
        case .failed: return verdict()
        }
        let inclusion = recording(record, subject: subject, evidence: evidence, history: history)
        checks.append(inclusion)
        guard inclusion.passed else { return verdict() }
        let commitment = CertificateAnchor.documentCommitment(
            documentDigest: documentDigest,
            secret: code.secret,
            hash: hash
        )
        guard record.documentCommitment == commitment, record.issuer == subject.issuer else {
            checks.append(
                VerificationCheck(
                    "document",
                    passed: false,
                    "this file (digest \(documentDigest.hex.prefix(16))…) is not the document anchored for this certificate: the file was changed, or it is another document"
                )
            )
            return verdict(proofHolds: true)
        }
        checks.append(
            VerificationCheck("document", passed: true, "this file is the document \(record.issuer) anchored")
        )
        return verdict(record: record, proofHolds: true)
    }

    /// The "inclusion proof" check: the evidence's transaction is in a final block at the height of the
    /// record's latest event, applied, and is exactly the anchoring or status change that made that event.
    static func recording(
        _ record: CertificateRecord,
        subject: CertificateRef,
        evidence: CertificateEvidence,
        history: TrustedHistory
    ) -> VerificationCheck {
        func failed(_ detail: String) -> VerificationCheck {
            VerificationCheck("inclusion proof", passed: false, detail)
        }
        guard let included = evidence.transaction, let event = record.history.last else {
            return failed("the evidence does not carry the transaction that recorded the certificate's latest event")
        }
        let height = included.header.height
        guard height == event.height else {
            return failed(
                "the transaction is in block \(height), the latest event was recorded in block \(event.height)"
            )
        }
        if let failure = RecordProof.writer(included, at: height, header: evidence.header, history: history) {
            return failure
        }
        let matches: Bool
        switch included.transaction.transaction.payload {
        case .certificateAnchor(let anchor):
            matches =
                record.history.count == 1 && anchor.certificate == subject
                && anchor.documentCommitment == record.documentCommitment && anchor.kind == record.kind
        case .certificateStatusChange(let change):
            matches =
                change.certificate == subject && change.newStatus == event.status && change.reason == event.reason
                && change.replacement == event.replacement
        default:
            matches = false
        }
        guard matches else { return failed("the transaction did not record this certificate's latest event") }
        let id = included.transaction.id(hash: history.genesis.suite.suite.hashFunction)
        return VerificationCheck(
            "inclusion proof",
            passed: true,
            "\(event.by) recorded \(record.history.count == 1 ? "the anchoring" : "the change to \(event.status)") in transaction \(id.hex.prefix(16))…, block \(height)"
        )
    }
}
