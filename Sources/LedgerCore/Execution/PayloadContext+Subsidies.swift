import LedgerCrypto

/// Subsidy payment batches (`docs/rules.md`, "Subsidies"): a beneficiary tag already paid for the same
/// programme and period — by any department — is a duplicate claim, refused or flagged by genesis rule.
extension PayloadContext {
    func recordSubsidyBatch<State: StateReader>(
        _ batch: SubsidyBatch,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard !batch.programme.isEmpty, !batch.period.isEmpty else {
            throw reject(.invalidSubsidyBatch, "programme and period must be named")
        }
        guard Int(batch.recordCount) == batch.beneficiaryTags.count, !batch.beneficiaryTags.isEmpty else {
            throw reject(
                .invalidSubsidyBatch,
                "record count \(batch.recordCount) differs from the \(batch.beneficiaryTags.count) beneficiary tags"
            )
        }
        guard Set(batch.beneficiaryTags).count == batch.beneficiaryTags.count else {
            throw reject(.invalidSubsidyBatch, "a beneficiary tag appears twice in the same batch")
        }
        let payment = SubsidyTagRecord(payer: sender, batch: transactionID, height: block.height)
        var conflicts: [SubsidyConflict] = []
        for tag in batch.beneficiaryTags {
            let key = keys.subsidyTag(programme: batch.programme, period: batch.period, tag: tag)
            if let first = try read(SubsidyTagRecord.self, key, overlay) {
                conflicts.append(SubsidyConflict(tag: tag, first: first, second: payment))
            } else {
                overlay.write(payment, at: key)
            }
        }
        if let example = conflicts.first, rules.duplicateSubsidy == .refuse {
            throw reject(
                .duplicateSubsidy,
                "\(conflicts.count) beneficiaries already paid for \(batch.programme) \(batch.period), e.g. tag \(example.tag.hex) by \(example.first.payer) at height \(example.first.height)"
            )
        }
        if !conflicts.isEmpty {
            let listKey = keys.subsidyConflicts(programme: batch.programme, period: batch.period)
            var list = try read(SubsidyConflictList.self, listKey, overlay) ?? SubsidyConflictList(conflicts: [])
            guard list.conflicts.count + conflicts.count <= SubsidyConflictList.maximumConflicts else {
                throw reject(.invalidSubsidyBatch, "conflict list for \(batch.programme) \(batch.period) is full")
            }
            list.conflicts.append(contentsOf: conflicts)
            overlay.write(list, at: listKey)
        }
        overlay.write(
            SubsidyBatchRecord(payer: sender, batch: batch, height: block.height, flaggedTags: UInt32(conflicts.count)),
            at: keys.subsidyBatch(transactionID)
        )
        return conflicts.isEmpty
            ? "subsidy batch of \(batch.recordCount) recorded"
            : "subsidy batch of \(batch.recordCount) recorded; \(conflicts.count) duplicate claims flagged"
    }
}
