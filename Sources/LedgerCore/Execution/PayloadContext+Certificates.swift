import LedgerCrypto

/// Certificates and batch anchors (`docs/rules.md`, "Certificates").
extension PayloadContext {
    /// A certificate is anchored once; its key can never be reused.
    func anchorCertificate<State: StateReader>(
        _ anchor: CertificateAnchor,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        let key = keys.certificate(anchor.certificateKey)
        guard try read(CertificateRecord.self, key, overlay) == nil else {
            throw reject(.certificateExists, "certificate \(anchor.certificateKey.hex) is already anchored")
        }
        let issued = CertificateEvent(
            status: .valid,
            by: sender,
            height: block.height,
            reason: "issued",
            replacement: nil
        )
        let record = CertificateRecord(
            documentDigest: anchor.documentDigest,
            kind: anchor.kind,
            issuer: sender,
            issuedAt: anchor.issuedAt,
            history: [issued]
        )
        overlay.write(record, at: key)
        return "certificate anchored"
    }

    /// Any registrar may change any certificate's status (mutual recognition across provinces); revoked and
    /// superseded are final; every change is appended to the history with who made it.
    func changeStatus<State: StateReader>(
        _ change: CertificateStatusChange,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard change.newStatus != .valid else {
            throw reject(.invalidStatusChange, "a status change must record revoked, superseded or corrected")
        }
        let key = keys.certificate(change.certificateKey)
        guard var record = try read(CertificateRecord.self, key, overlay) else {
            throw reject(.certificateNotFound, "no certificate \(change.certificateKey.hex)")
        }
        guard !record.status.isFinal else {
            throw reject(.certificateFinal, "certificate is already \(record.status); that is final")
        }
        guard record.history.count < CertificateRecord.maximumEvents else {
            throw reject(.historyFull, "certificate history holds \(CertificateRecord.maximumEvents) events")
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
