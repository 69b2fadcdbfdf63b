import LedgerCrypto

/// Subsidy programmes and payment batches (`docs/rules.md`, "Subsidies"). A programme belongs to the member
/// that registered it, in its namespace; only its owner and the payers it lists record batches under it
/// (issue 16, finding 4). A beneficiary tag already paid for the same programme and period — by any of its
/// payers — is a duplicate claim, refused or flagged by genesis rule.
extension PayloadContext {
    /// Registers `programme` under the sender, or replaces its payer list when the sender already owns it.
    func registerProgramme<State: StateReader>(
        _ programme: SubsidyProgramme,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        let reference = ProgrammeRef(owner: sender, name: programme.name)
        guard Set(programme.payers).count == programme.payers.count, !programme.payers.contains(sender) else {
            throw reject(.invalidProgramme, "each payer is listed once, and the owner \(sender) not at all")
        }
        for payer in programme.payers {
            guard let record = try read(MemberRecord.self, keys.member(payer), overlay), !record.removed,
                record.member.roles.contains(.payer)
            else { throw reject(.invalidProgramme, "\(payer) is not a current member with the payer role") }
        }
        let key = keys.programme(reference)
        let existing = try read(ProgrammeRecord.self, key, overlay)
        if let existing, existing.periods != programme.periods {
            throw reject(
                .invalidProgramme,
                "\(reference) pays by \(existing.periods); the kind of period is fixed when it is registered"
            )
        }
        overlay.write(
            ProgrammeRecord(
                programme: reference,
                periods: programme.periods,
                payers: programme.payers,
                registeredAt: existing?.registeredAt ?? block.height,
                changedAt: block.height
            ),
            at: key
        )
        let payers = programme.payers.isEmpty ? "its owner alone" : "its owner and \(programme.payers.count) more"
        return existing == nil
            ? "programme \(reference) registered; \(payers) may pay under it"
            : "programme \(reference): \(payers) may pay under it"
    }

    func recordSubsidyBatch<State: StateReader>(
        _ batch: SubsidyBatch,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard let programme = try read(ProgrammeRecord.self, keys.programme(batch.programme), overlay) else {
            throw reject(.programmeNotFound, "no programme \(batch.programme) is registered")
        }
        guard programme.mayPay(sender) else {
            throw reject(
                .notProgrammePayer,
                "\(sender) is not a payer of \(batch.programme); its owner lists who may pay under it"
            )
        }
        guard batch.period.kind == programme.periods else {
            throw reject(
                .invalidSubsidyBatch,
                "\(batch.programme) pays by \(programme.periods), not by \(batch.period.kind) (\(batch.period))"
            )
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
