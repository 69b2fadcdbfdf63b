import LedgerCore
import LedgerCrypto

/// One named check of a verification and how it went, in words a clerk can read.
public struct VerificationCheck: Hashable, Sendable {
    public let name: String
    public let passed: Bool
    public let detail: String

    public init(_ name: String, passed: Bool, _ detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }
}

/// The outcome of checking a certificate (`docs/verifier.md`, "Certificates").
public struct CertificateVerdict: Sendable {
    /// Every check, in the order made; a check that could not be made for an earlier failure is absent.
    public let checks: [VerificationCheck]
    /// The record, when every check passed and the ledger holds one for this document and number.
    public let record: CertificateRecord?
    /// The height and block time the evidence speaks for: nothing later is known to it.
    public let height: UInt64
    public let time: UInt64

    /// Proven, anchored, and valid or corrected (not revoked or superseded) as of `height`.
    public var isValid: Bool {
        checks.allSatisfy(\.passed) && record.map { !$0.status.isFinal } == true
    }
}

/// Checks a certificate document against evidence from the ledger, trusting only the genesis file: the
/// document's digest and number give the certificate key; the state proof must tie the record (or its
/// absence) under that key to the header's state root; the header must be final (`HeaderVerifier`); the
/// record must name this document. Pure.
public enum CertificateVerifier {
    public static func verify(
        documentDigest: Digest,
        number: String,
        evidence: CertificateEvidence,
        genesis: Genesis
    ) -> CertificateVerdict {
        let hash = genesis.suite.suite.hashFunction
        let header = evidence.header
        var checks: [VerificationCheck] = []
        func verdict(record: CertificateRecord? = nil) -> CertificateVerdict {
            CertificateVerdict(checks: checks, record: record, height: header.height, time: header.time)
        }

        do {
            let signers = try HeaderVerifier.verify(
                header,
                certificate: evidence.certificate,
                handOffs: evidence.handOffs,
                genesis: genesis
            )
            let changes = evidence.handOffs.count
            checks.append(
                VerificationCheck(
                    "validator sets",
                    passed: true,
                    changes == 0
                        ? "the genesis validators sign at height \(header.height)"
                        : "\(changes) validator-set change\(changes == 1 ? "" : "s") followed from genesis"
                )
            )
            let signed = evidence.certificate.signatures.reduce(UInt64(0)) { total, entry in
                total + signers.validators[Int(entry.validatorIndex)].power
            }
            checks.append(
                VerificationCheck(
                    "commit certificate",
                    passed: true,
                    "block \(header.height) is final: signed by validators holding \(signed) of \(signers.totalPower) voting power"
                )
            )
        } catch {
            let name: String
            switch error {
            case .certificate(let height, _) where height == header.height: name = "commit certificate"
            case .wrongChain: name = "chain"
            default: name = "validator sets"
            }
            checks.append(VerificationCheck(name, passed: false, error.description))
            return verdict()
        }

        let certificateKey = CertificateAnchor.key(number: number, documentDigest: documentDigest, hash: hash)
        let stateKey = StateKeys(hash: hash).certificate(certificateKey)
        guard evidence.proof.key == stateKey else {
            checks.append(
                VerificationCheck(
                    "state proof",
                    passed: false,
                    "the proof is about another certificate than this document with number \(number)"
                )
            )
            return verdict()
        }
        let proven: Digest?
        do {
            proven = try evidence.proof.verify(root: header.stateRoot, hash: hash)
        } catch {
            checks.append(VerificationCheck("state proof", passed: false, "\(error)"))
            return verdict()
        }
        guard let proven else {
            let detail =
                evidence.record == nil
                ? "no certificate with this number and document is anchored as of height \(header.height)"
                : "the proof shows no record, but the evidence carries one"
            checks.append(VerificationCheck("state proof", passed: false, detail))
            return verdict()
        }
        guard let record = evidence.record, hash.hash(record.canonicalBytes) == proven else {
            checks.append(
                VerificationCheck("state proof", passed: false, "the record is not the one the state proof proves")
            )
            return verdict()
        }
        checks.append(
            VerificationCheck(
                "state proof",
                passed: true,
                "the record is in the ledger state of block \(header.height)"
            )
        )
        // The key already binds the digest; the record names it too, and must agree.
        guard record.documentDigest == documentDigest else {
            checks.append(
                VerificationCheck("document", passed: false, "the record was anchored for a different document")
            )
            return verdict()
        }
        checks.append(
            VerificationCheck("document", passed: true, "the document's digest is the one \(record.issuer) anchored")
        )
        return verdict(record: record)
    }
}
