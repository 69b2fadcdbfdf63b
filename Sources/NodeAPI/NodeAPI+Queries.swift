import Hummingbird
import LedgerCore
import LedgerCrypto
import Node
import Storage

/// Public read endpoints over the committed state (`docs/api.md`): projects, subsidy conflicts, evidence,
/// validators, members and headers. Each answers as of the latest committed height, which it names; proofs
/// are in receipts, not here.
extension NodeAPI {
    /// `GET /v1/projects/{project}`: the project of that id, when exactly one charity has recorded one.
    static func project(named name: String, node: LedgerNode) throws -> Response {
        let project = try projectID(name)
        let height = node.consensus.committedHeight()
        let state = node.store.state(at: height)
        let keys = node.consensus.genesis.rules.keys
        let charities = try members(node, at: height).filter { !$0.removed && $0.member.roles.contains(.charity) }
        var holders: [OrgID] = []
        for charity in charities.map(\.member.id) {
            // Only whether it exists: the full report, with every movement, is read for the one that does.
            let exists: Bool
            do { exists = try state.value(at: keys.project(charity: charity, project: project)) != nil } catch {
                throw ProblemDocument.ledgerUnreadable(error)
            }
            if exists { holders.append(charity) }
        }
        guard holders.count <= 1 else {
            throw ProblemDocument(
                .conflict,
                "ambiguous_project",
                "Ambiguous project",
                "charities \(holders.map(\.value).joined(separator: ", ")) each have a project \(project.value); ask /v1/charities/{charity}/projects/\(project.value)"
            )
        }
        guard let charity = holders.first else {
            throw ProblemDocument(.notFound, "unknown_project", "No such project", "no charity has a project \(name)")
        }
        return try report(charity: charity, project: project, node: node)
    }

    /// `GET /v1/charities/{charity}/projects/{project}`: what a project received and spent, with every movement.
    static func project(charity text: String, project name: String, node: LedgerNode) throws -> Response {
        let project = try projectID(name)
        guard let charity = OrgID(text) else {
            throw ProblemDocument(.badRequest, "malformed_member", "Malformed member id", "\(text) is not a member id")
        }
        return try report(charity: charity, project: project, node: node)
    }

    private static func projectID(_ name: String) throws -> ProjectID {
        guard let project = ProjectID(name) else {
            throw ProblemDocument(
                .badRequest,
                "malformed_project",
                "Malformed project id",
                "\(name) is not a project id"
            )
        }
        return project
    }

    /// A project's totals and movements, or `unknown_project`.
    private static func report(charity: OrgID, project: ProjectID, node: LedgerNode) throws -> Response {
        let report = try query(node) { try $0.project(charity: charity, project: project) }
        guard let record = report.project.record else {
            throw ProblemDocument(
                .notFound,
                "unknown_project",
                "No such project",
                "\(charity.value) has recorded nothing for project \(project.value) as of height \(report.project.height)"
            )
        }
        return json(
            .object([
                JSONMember("charity", .string(charity.value)),
                JSONMember("project", .string(project.value)),
                JSONMember("height", .unsigned(report.project.height)),
                JSONMember("received", .integer(Int64(clamping: record.received))),
                JSONMember("spent", .integer(Int64(clamping: record.spent))),
                JSONMember("balance", .integer(Int64(clamping: record.balance))),
                JSONMember(
                    "donations",
                    .array(
                        report.donations.map { donation -> JSONValue in
                            .object([
                                JSONMember("amount", .integer(Int64(clamping: donation.payload.amount))),
                                JSONMember("donor_commitment", .string(donation.payload.donorCommitment.hex)),
                                JSONMember("received_at", .string(UTCTimestamp.format(donation.payload.receivedAt))),
                                JSONMember("transaction", .string(donation.transactionID.hex)),
                                JSONMember("height", .unsigned(donation.height)),
                            ])
                        }
                    )
                ),
                JSONMember(
                    "disbursements",
                    .array(
                        report.disbursements.map { disbursement -> JSONValue in
                            .object([
                                JSONMember("amount", .integer(Int64(clamping: disbursement.payload.amount))),
                                JSONMember("purpose", .string(disbursement.payload.purpose)),
                                JSONMember(
                                    "recipient_commitment",
                                    .string(disbursement.payload.recipientCommitment.hex)
                                ),
                                JSONMember("paid_at", .string(UTCTimestamp.format(disbursement.payload.paidAt))),
                                JSONMember("transaction", .string(disbursement.transactionID.hex)),
                                JSONMember("height", .unsigned(disbursement.height)),
                            ])
                        }
                    )
                ),
            ])
        )
    }

    /// `GET /v1/subsidies/conflicts?programme=P&period=Q`: beneficiaries paid twice for one programme and period.
    static func subsidyConflicts(_ request: Request, node: LedgerNode) throws -> Response {
        let parameters = request.uri.queryParameters
        guard let programme = parameters.get("programme").flatMap({ ProgrammeRef(String($0)) }),
            let period = parameters.get("period").flatMap({ SubsidyPeriod(String($0)) })
        else {
            throw ProblemDocument(
                .badRequest,
                "malformed_query",
                "Malformed query",
                "give programme as OWNER/NAME (a member id, then \(ProgrammeID.rules)) and period as a year "
                    + "(2026), quarter (2026-Q3) or month (2026-07)"
            )
        }
        let proven = try query(node) { try $0.subsidyConflicts(programme: programme, period: period) }
        func tag(_ record: SubsidyTagRecord) -> JSONValue {
            .object([
                JSONMember("payer", .string(record.payer.value)),
                JSONMember("batch", .string(record.batch.hex)),
                JSONMember("height", .unsigned(record.height)),
            ])
        }
        let conflicts = proven.record?.conflicts ?? []
        return json(
            .object([
                JSONMember("programme", .string(programme.description)),
                JSONMember("period", .string(period.value)),
                JSONMember("height", .unsigned(proven.height)),
                JSONMember(
                    "conflicts",
                    .array(
                        conflicts.map { conflict -> JSONValue in
                            .object([
                                JSONMember("beneficiary_tag", .string(conflict.tag.hex)),
                                JSONMember("first", tag(conflict.first)),
                                JSONMember("second", tag(conflict.second)),
                            ])
                        }
                    )
                ),
            ])
        )
    }

    /// `GET /v1/programmes/{owner}/{name}`: a subsidy programme's owner, the kind of period it pays by, and
    /// the members that may pay under it.
    static func programme(owner: String, name: String, node: LedgerNode) throws -> Response {
        guard let owner = OrgID(owner), let name = ProgrammeID(name) else {
            throw ProblemDocument(
                .badRequest,
                "malformed_programme",
                "Malformed programme",
                "expected /v1/programmes/{member id}/{\(ProgrammeID.rules)}"
            )
        }
        let reference = ProgrammeRef(owner: owner, name: name)
        let proven = try query(node) { try $0.programme(reference) }
        guard let record = proven.record else {
            throw ProblemDocument(
                .notFound,
                "unknown_programme",
                "Unknown programme",
                "no programme \(reference) is registered as of height \(proven.height)"
            )
        }
        return json(
            .object([
                JSONMember("programme", .string(reference.description)),
                JSONMember("owner", .string(owner.value)),
                JSONMember("periods", .string(record.periods.description)),
                JSONMember("payers", .array(record.payers.map { .string($0.value) })),
                JSONMember("registered_at", .unsigned(record.registeredAt)),
                JSONMember("changed_at", .unsigned(record.changedAt)),
                JSONMember("height", .unsigned(proven.height)),
            ])
        )
    }

    /// `GET /v1/evidence`: every committed proof of a validator signing two conflicting votes (SPEC §8).
    static func evidence(node: LedgerNode) throws -> Response {
        let report = try query(node) { try $0.evidence() }
        return json(
            .object([
                JSONMember("height", .unsigned(report.log.height)),
                JSONMember(
                    "evidence",
                    .array(
                        report.records.map { record -> JSONValue in
                            .object([
                                JSONMember("accused", .string(record.accused.value)),
                                JSONMember("kind", .string(record.evidence.kind)),
                                JSONMember("height", .unsigned(record.evidence.height)),
                                JSONMember("round", .unsigned(record.evidence.round)),
                                JSONMember("committed_at", .unsigned(record.committedAt)),
                            ])
                        }
                    )
                ),
            ])
        )
    }

    /// `GET /v1/validators`: V(h + 1), the validators that sign the next block, with their power.
    static func validators(node: LedgerNode) throws -> Response {
        let height = node.consensus.committedHeight()
        let rules = node.consensus.genesis.rules
        let set: ValidatorSet
        do { set = try node.store.validators(forHeight: height + 1, rules: rules) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
        return json(
            .object([
                JSONMember("height", .unsigned(height + 1)),
                JSONMember("total_power", .integer(Int64(clamping: set.totalPower))),
                JSONMember("hash", .string(set.hash(rules.suite.hashFunction).hex)),
                JSONMember(
                    "validators",
                    .array(
                        set.validators.map { validator -> JSONValue in
                            .object([
                                JSONMember("id", .string(validator.id.value)),
                                JSONMember("power", .integer(Int64(clamping: validator.power))),
                                JSONMember("consensus_key", .string(Hex.encode(validator.consensusKey))),
                            ])
                        }
                    )
                ),
            ])
        )
    }

    /// `GET /v1/members`: the member registry (genesis plus governance), removed members included.
    static func members(node: LedgerNode) throws -> Response {
        let height = node.consensus.committedHeight()
        var entries: [JSONValue] = []
        for record in try members(node, at: height) {
            let member = record.member
            var fields = [
                JSONMember("id", .string(member.id.value)),
                JSONMember("name", .string(member.name)),
                JSONMember("roles", .array(member.roles.roles.map { .string($0.rawValue) })),
                JSONMember("removed", .bool(record.removed)),
                JSONMember("changed_at_height", .unsigned(record.changedAtHeight)),
                JSONMember("account_keys", .array(member.accountKeys.map { .string(Hex.encode($0)) })),
            ]
            if let validator = member.validator {
                fields.append(
                    JSONMember(
                        "validator",
                        .object([
                            JSONMember("power", .integer(Int64(clamping: validator.power))),
                            JSONMember("address", .string(validator.address)),
                            JSONMember("tls_key_pin", .string(validator.tlsKeyPin.hex)),
                        ])
                    )
                )
            }
            entries.append(.object(fields))
        }
        return json(.object([JSONMember("height", .unsigned(height)), JSONMember("members", .array(entries))]))
    }

    /// `GET /v1/headers/{height}`: a block header with every field, and its commit.
    static func header(_ text: String, node: LedgerNode) throws -> Response {
        let (height, block) = try committedBlock(text, node: node)
        let header = block.header
        let hash = node.consensus.genesis.suite.suite.hashFunction
        return json(
            .object([
                JSONMember("height", .unsigned(height)),
                JSONMember("hash", .string(header.hash(hash).hex)),
                JSONMember("chain_id", .string(header.chainID.value)),
                JSONMember("time", .unsigned(header.time)),
                JSONMember("proposer", .string(header.proposer.value)),
                JSONMember("previous_block_hash", .string(header.previousBlockHash.hex)),
                JSONMember("transactions_root", .string(header.transactionsRoot.hex)),
                JSONMember("transaction_count", .unsigned(header.transactionCount)),
                JSONMember("last_commit_hash", .string(header.lastCommitHash.hex)),
                JSONMember("results_root", .string(header.resultsRoot.hex)),
                JSONMember("state_root", .string(header.stateRoot.hex)),
                JSONMember("evidence_root", .string(header.evidenceRoot.hex)),
                JSONMember("validator_set_hash", .string(header.validatorSetHash.hex)),
                JSONMember("next_validator_set_hash", .string(header.nextValidatorSetHash.hex)),
                JSONMember("encoded", .string(Hex.encode(header.canonicalBytes))),
                JSONMember("commit", try commit(at: height, node: node)),
            ])
        )
    }

    /// The registry's members at `height` (default: the committed height), in registry order.
    private static func members(_ node: LedgerNode, at height: UInt64? = nil) throws -> [MemberRecord] {
        let state = node.store.state(at: height ?? node.consensus.committedHeight())
        let keys = node.consensus.genesis.rules.keys
        do {
            let registry = try state.value(at: keys.registry).map { try MemberRegistry(canonicalBytes: $0) }
            return try (registry?.members ?? []).compactMap { id in
                try state.value(at: keys.member(id)).map { try MemberRecord(canonicalBytes: $0) }
            }
        } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
    }

    /// Runs a query on the committed ledger; an unreadable ledger is a 503 problem.
    private static func query<T>(
        _ node: LedgerNode,
        _ body: (LedgerQueries<RocksDBLedgerStore>) throws -> T
    ) throws -> T {
        do { return try body(LedgerQueries(reader: node.store)) } catch {
            throw ProblemDocument.ledgerUnreadable(error)
        }
    }
}
