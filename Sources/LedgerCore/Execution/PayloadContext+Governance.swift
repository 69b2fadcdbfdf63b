import LedgerCrypto

/// Governance (`docs/rules.md`, "Governance"): validator members propose and approve changes to the member
/// registry; a change takes effect in the transaction that brings approvals above 2/3 of the total voting
/// power of the current validators (integer arithmetic: 3 × approved > 2 × total).
extension PayloadContext {
    func propose<State: StateReader>(
        _ proposal: GovernanceProposal,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard proposal.expiresAtHeight > block.height else {
            throw reject(
                .invalidGovernance,
                "the proposal expires at height \(proposal.expiresAtHeight), already reached"
            )
        }
        if let problem = try actionProblem(proposal.action, overlay) { throw reject(.invalidGovernance, problem) }
        let record = ProposalRecord(
            proposer: sender,
            proposal: proposal,
            createdAtHeight: block.height,
            approvals: [sender],
            status: .pending
        )
        return try settle(record, id: transactionID, &overlay, verb: "proposal \(transactionID.hex) created")
    }

    func approve<State: StateReader>(
        _ approval: GovernanceApproval,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard var record = try read(ProposalRecord.self, keys.proposal(approval.proposalID), overlay) else {
            throw reject(.proposalNotFound, "no proposal \(approval.proposalID.hex)")
        }
        guard record.status == .pending else { throw reject(.proposalClosed, "the proposal is no longer pending") }
        guard block.height <= record.proposal.expiresAtHeight else {
            throw reject(.proposalExpired, "the proposal expired at height \(record.proposal.expiresAtHeight)")
        }
        guard !record.approvals.contains(sender) else { throw reject(.alreadyApproved, "\(sender) already approved") }
        record.approvals.append(sender)
        return try settle(record, id: approval.proposalID, &overlay, verb: "approval by \(sender) recorded")
    }

    /// Stores the proposal and, once approvals carry more than 2/3 of validator power, executes its action.
    private func settle<State: StateReader>(
        _ record: ProposalRecord,
        id: Digest,
        _ overlay: inout StateOverlay<State>,
        verb: String
    ) throws(PayloadFailure) -> String {
        var record = record
        let validators = try activeValidators(overlay)
        let total = validators.values.reduce(0, +)
        let approved = record.approvals.compactMap { validators[$0] }.reduce(0, +)
        // Powers are at most 2^40 each and members at most 10^4, so these products cannot overflow.
        guard 3 * approved > 2 * total else {
            overlay.write(record, at: keys.proposal(id))
            return "\(verb); approvals hold \(approved) of \(total) voting power, more than 2/3 needed"
        }
        if let problem = try actionProblem(record.proposal.action, overlay) {
            record.status = .failed
            overlay.write(record, at: keys.proposal(id))
            return "\(verb); approved, but the change could not apply: \(problem)"
        }
        try execute(record.proposal.action, &overlay)
        record.status = .executed
        overlay.write(record, at: keys.proposal(id))
        return "\(verb); approved by \(approved) of \(total) voting power and executed"
    }

    /// Voting power of every active validator member.
    func activeValidators<State: StateReader>(_ overlay: StateOverlay<State>) throws(PayloadFailure) -> [OrgID: UInt64]
    {
        var powers: [OrgID: UInt64] = [:]
        for id in try read(MemberRegistry.self, keys.registry, overlay)?.members ?? [] {
            if let record = try read(MemberRecord.self, keys.member(id), overlay), !record.removed,
                let validator = record.member.validator
            {
                powers[id] = validator.power
            }
        }
        return powers
    }

    /// Why `action` cannot apply to the current state, or nil when it can.
    private func actionProblem<State: StateReader>(
        _ action: GovernanceAction,
        _ overlay: StateOverlay<State>
    ) throws(PayloadFailure) -> String? {
        switch action {
        case .admitMember(let member):
            if let existing = try read(MemberRecord.self, keys.member(member.id), overlay), !existing.removed {
                return "\(member.id) is already a member"
            }
            return try memberProblem(member, overlay)
        case .updateMember(let member):
            guard let existing = try read(MemberRecord.self, keys.member(member.id), overlay), !existing.removed else {
                return "\(member.id) is not a current member"
            }
            if let problem = try memberProblem(member, overlay) { return problem }
            return try powerProblem(changing: member.id, to: member.validator?.power ?? 0, overlay)
        case .removeMember(let id):
            guard let existing = try read(MemberRecord.self, keys.member(id), overlay), !existing.removed else {
                return "\(id) is not a current member"
            }
            return try powerProblem(changing: id, to: 0, overlay)
        }
    }

    /// Keys must be valid for the network suite and belong to no other member — account keys, the consensus
    /// key and TLS key pins, as genesis requires (`Genesis.problems`; issue 16, finding 9). Members removed
    /// earlier count too: a key once registered stays its owner's.
    private func memberProblem<State: StateReader>(
        _ member: Member,
        _ overlay: StateOverlay<State>
    ) throws(PayloadFailure) -> String? {
        if let problem = MemberValidation.problem(member, suite: rules.suite) { return problem }
        for key in member.accountKeys {
            if let account = try read(AccountRecord.self, keys.account(key), overlay), account.member != member.id {
                return "account key \(Hex.encode(key)) already belongs to \(account.member)"
            }
        }
        let pins = [member.validator?.tlsKeyPin, member.observerNode?.tlsKeyPin].compactMap { $0 }
        let registry = try read(MemberRegistry.self, keys.registry, overlay) ?? MemberRegistry(members: [])
        for other in registry.members where other != member.id {
            guard let record = try read(MemberRecord.self, keys.member(other), overlay) else { continue }
            if let key = member.validator?.consensusKey, record.member.validator?.consensusKey == key {
                return "consensus key \(Hex.encode(key)) already belongs to \(other)"
            }
            let theirs = [record.member.validator?.tlsKeyPin, record.member.observerNode?.tlsKeyPin]
            if let pin = pins.first(where: theirs.contains) {
                return "TLS key pin \(pin.hex) already belongs to \(other)"
            }
        }
        return nil
    }

    /// The network must keep at least one validator with power.
    private func powerProblem<State: StateReader>(
        changing id: OrgID,
        to power: UInt64,
        _ overlay: StateOverlay<State>
    ) throws(PayloadFailure) -> String? {
        var validators = try activeValidators(overlay)
        validators[id] = power == 0 ? nil : power
        return validators.isEmpty ? "the change would leave no validator" : nil
    }

    private func execute<State: StateReader>(
        _ action: GovernanceAction,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) {
        switch action {
        case .admitMember(let member):
            var registry = try read(MemberRegistry.self, keys.registry, overlay) ?? MemberRegistry(members: [])
            if !registry.members.contains(member.id) { registry.members.append(member.id) }
            overlay.write(registry, at: keys.registry)
            try store(member, previousKeys: [], &overlay)
        case .updateMember(let member):
            let previous = try read(MemberRecord.self, keys.member(member.id), overlay)?.member.accountKeys ?? []
            try store(member, previousKeys: previous, &overlay)
        case .removeMember(let id):
            guard var record = try read(MemberRecord.self, keys.member(id), overlay) else { return }
            record.removed = true
            record.changedAtHeight = block.height
            overlay.write(record, at: keys.member(id))
            try deactivate(record.member.accountKeys, &overlay)
        }
    }

    /// Writes the member and its accounts; keys it no longer lists stop acting for it, and keys it keeps
    /// keep their sequence numbers.
    private func store<State: StateReader>(
        _ member: Member,
        previousKeys: [[UInt8]],
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) {
        overlay.write(
            MemberRecord(member: member, removed: false, changedAtHeight: block.height),
            at: keys.member(member.id)
        )
        try deactivate(previousKeys.filter { !member.accountKeys.contains($0) }, &overlay)
        for key in member.accountKeys {
            var account =
                try read(AccountRecord.self, keys.account(key), overlay)
                ?? AccountRecord(member: member.id, nextSequence: 0, active: true)
            account.active = true
            overlay.write(account, at: keys.account(key))
        }
    }

    private func deactivate<State: StateReader>(
        _ accountKeys: [[UInt8]],
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) {
        for key in accountKeys {
            guard var account = try read(AccountRecord.self, keys.account(key), overlay) else { continue }
            account.active = false
            overlay.write(account, at: keys.account(key))
        }
    }
}
