import LedgerCrypto

/// Certificates and batch anchors (`docs/rules.md`, "Certificates", whose matrix this file implements).
extension PayloadContext {
    /// An issuer anchors a certificate in its own namespace, once.
    func anchorCertificate<State: StateReader>(
        _ anchor: CertificateAnchor,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard anchor.certificate.issuer == sender else {
            throw reject(.notIssuer, "\(sender) anchors certificates as itself, not as \(anchor.certificate.issuer)")
        }
        let key = keys.certificate(anchor.certificate)
        guard try read(CertificateRecord.self, key, overlay) == nil else {
            throw reject(.certificateExists, "certificate \(anchor.certificate) is already anchored")
        }
        let issued = CertificateEvent(
            status: .valid,
            by: sender,
            height: block.height,
            reason: ReasonCode(validated: "issued"),
            replacement: nil
        )
        let record = CertificateRecord(
            documentCommitment: anchor.documentCommitment,
            kind: anchor.kind,
            issuer: sender,
            history: [issued]
        )
        overlay.write(record, at: key)
        return "certificate anchored"
    }

    /// The status matrix: the issuer may correct, revoke or supersede its certificate; any other registrar
    /// may revoke or supersede it only with provenance — a replacement it anchored itself. Final statuses
    /// are final. Corrections stop one event short of the history's bound, so a final status always fits.
    func changeStatus<State: StateReader>(
        _ change: CertificateStatusChange,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard change.newStatus != .valid else {
            throw reject(.invalidStatusChange, "a status change must record revoked, superseded or corrected")
        }
        guard change.replacement != change.certificate else {
            throw reject(.invalidStatusChange, "a certificate cannot replace itself")
        }
        let key = keys.certificate(change.certificate)
        guard var record = try read(CertificateRecord.self, key, overlay) else {
            throw reject(.certificateNotFound, "no certificate \(change.certificate)")
        }
        guard !record.status.isFinal else {
            throw reject(.certificateFinal, "certificate is already \(record.status); that is final")
        }
        let isIssuer = record.issuer == sender
        if !change.newStatus.isFinal {
            guard isIssuer else {
                throw reject(.notIssuer, "only the issuer, \(record.issuer), records a correction")
            }
            guard record.history.count < CertificateRecord.maximumEvents - 1 else {
                throw reject(
                    .historyFull,
                    "certificate history holds \(record.history.count) events; the last place is kept for a final status"
                )
            }
        } else if !isIssuer {
            guard let replacement = change.replacement, replacement.issuer == sender else {
                throw reject(
                    .provenanceRequired,
                    "\(sender) may end \(record.issuer)'s certificate only by naming, as replacement, a certificate it anchored"
                )
            }
        }
        if let replacement = change.replacement {
            guard try read(CertificateRecord.self, keys.certificate(replacement), overlay) != nil else {
                throw reject(.replacementNotFound, "no certificate \(replacement) is anchored")
            }
        }
        record.history.append(
            CertificateEvent(
                status: change.newStatus,
                by: sender,
                height: block.height,
                reason: change.reason,
                replacement: change.replacement
            )
        )
        overlay.write(record, at: key)
        return "certificate now \(change.newStatus) (issued by \(record.issuer), changed by \(sender))"
    }

    /// A batch root is anchored once, with at least one leaf.
    func anchorBatch<State: StateReader>(
        _ batch: BatchAnchor,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard batch.leafCount >= 1 else { throw reject(.invalidBatch, "a batch anchors at least one document") }
        let key = keys.batch(batch.root)
        guard try read(BatchRecord.self, key, overlay) == nil else {
            throw reject(.batchExists, "batch root \(batch.root.hex) is already anchored")
        }
        overlay.write(
            BatchRecord(issuer: sender, leafCount: batch.leafCount, label: batch.label, height: block.height),
            at: key
        )
        return "batch of \(batch.leafCount) anchored"
    }
}
