import LedgerCrypto

/// Applies a block's transactions to the state, deterministically: the same block on the same state gives
/// the same results and writes on every node. Each transaction either applies fully or is rejected with a
/// stable reason (`docs/rules.md`). Pure: reads state through `StateReader`, returns writes.
public struct Executor: Sendable {
    public let rules: LedgerRules

    public init(rules: LedgerRules) {
        self.rules = rules
    }

    /// Executes `transactions` at `context` over `state`. `verifiedIDs` lists transactions whose signatures
    /// were already checked (by the mempool); the others are verified here, in parallel.
    public func execute<State: StateReader>(
        _ transactions: [SignedTransaction],
        context: BlockContext,
        state: State,
        verifiedIDs: Set<Digest> = []
    ) throws(ExecutionError) -> BlockExecution {
        let hash = rules.suite.hashFunction
        let ids = transactions.map { $0.id(hash: hash) }
        let signatureValid = verifySignatures(transactions, ids: ids, verifiedIDs: verifiedIDs)
        var overlay = StateOverlay(base: CachedStateReader(state))
        var results: [TransactionResult] = []
        results.reserveCapacity(transactions.count)
        for index in transactions.indices {
            let result = try apply(
                transactions[index],
                id: ids[index],
                signatureValid: signatureValid[index],
                context: context,
                overlay: &overlay
            )
            results.append(result)
        }
        return BlockExecution(transactionIDs: ids, results: results, writes: overlay.writes)
    }

    /// Verdicts for every transaction; those in `verifiedIDs` (checked by the mempool) are not checked again.
    private func verifySignatures(
        _ transactions: [SignedTransaction],
        ids: [Digest],
        verifiedIDs: Set<Digest>
    ) -> [Bool] {
        let unchecked = transactions.indices.filter { !verifiedIDs.contains(ids[$0]) }
        var verdicts = [Bool](repeating: true, count: transactions.count)
        for (index, valid) in zip(unchecked, verifySignatures(unchecked.map { transactions[$0] })) {
            verdicts[index] = valid
        }
        return verdicts
    }

    /// Authenticates the sender, advances its sequence, checks its role, then applies the payload.
    private func apply<State: StateReader>(
        _ signed: SignedTransaction,
        id: Digest,
        signatureValid: Bool,
        context: BlockContext,
        overlay: inout StateOverlay<State>
    ) throws(ExecutionError) -> TransactionResult {
        let transaction = signed.transaction
        let sender: MemberRecord
        switch try authenticate(transaction, signatureValid: signatureValid, overlay: overlay) {
        case .failure(let rejection):
            return TransactionResult(rejection: rejection.reason, message: rejection.message)
        case .success(let (member, account)):
            sender = member
            var advanced = account
            advanced.nextSequence += 1
            overlay.write(advanced, at: rules.keys.account(transaction.sender))
            overlay.accept()
        }

        let role = LedgerRules.requiredRole(for: transaction.payload)
        guard sender.member.roles.contains(role) else {
            return TransactionResult(
                rejection: .roleNotAllowed,
                message:
                    "\(sender.member.id) has roles [\(sender.member.roles)]; this transaction needs \(role.rawValue)"
            )
        }
        var context = PayloadContext(rules: rules, sender: sender.member.id, transactionID: id, block: context)
        do {
            let message = try context.apply(transaction.payload, overlay: &overlay)
            overlay.accept()
            return .applied(message)
        } catch {
            switch error {
            case .rejected(let rejection):
                overlay.discard()
                return TransactionResult(rejection: rejection.reason, message: rejection.message)
            case .execution(let failure):
                throw failure
            }
        }
    }

    /// The member and account `sender` acts for, or why nothing it sends can apply: no account has the key,
    /// its member was removed, or the key was revoked (`docs/rules.md`, "Authentication").
    func activeSender<State: StateReader>(
        _ sender: [UInt8],
        overlay: StateOverlay<State>
    ) throws(ExecutionError) -> Result<(MemberRecord, AccountRecord), Rejection> {
        guard let account = try overlay.read(AccountRecord.self, at: rules.keys.account(sender)) else {
            return .failure(Rejection(.unknownAccount, "no member account has key \(Hex.encode(sender))"))
        }
        guard let member = try overlay.read(MemberRecord.self, at: rules.keys.member(account.member)) else {
            throw ExecutionError.corruptRecord(
                key: rules.keys.member(account.member),
                type: "MemberRecord",
                reason: "missing"
            )
        }
        guard !member.removed else {
            return .failure(Rejection(.memberRemoved, "member \(member.member.id) was removed by governance"))
        }
        guard account.active else {
            return .failure(Rejection(.accountRevoked, "this key no longer acts for \(member.member.id)"))
        }
        return .success((member, account))
    }

    /// Checks the sender: chain, account, member, key still active, signature, and sequence — the account's
    /// next one, or `expectedSequence` when given (a mempool holding earlier ones from this sender).
    func authenticate<State: StateReader>(
        _ transaction: Transaction,
        signatureValid: Bool,
        overlay: StateOverlay<State>,
        expectedSequence: UInt64? = nil
    ) throws(ExecutionError) -> Result<(MemberRecord, AccountRecord), Rejection> {
        guard transaction.chainID == rules.chainID else {
            return .failure(
                Rejection(.wrongChain, "transaction is for chain \(transaction.chainID), this is \(rules.chainID)")
            )
        }
        let member: MemberRecord
        let account: AccountRecord
        switch try activeSender(transaction.sender, overlay: overlay) {
        case .failure(let rejection): return .failure(rejection)
        case .success(let found): (member, account) = found
        }
        guard signatureValid else {
            return .failure(Rejection(.badSignature, "the signature does not verify for the sender key"))
        }
        let expected = expectedSequence ?? account.nextSequence
        guard transaction.sequence == expected else {
            return .failure(Rejection(.badSequence, "sequence \(transaction.sequence), expected \(expected)"))
        }
        return .success((member, account))
    }
}

/// A payload could not apply: rejected by a rule, or execution itself failed.
enum PayloadFailure: Error {
    case rejected(Rejection)
    case execution(ExecutionError)
}

/// Everything a payload rule needs: the rules, who sent it, which transaction, which block.
struct PayloadContext {
    let rules: LedgerRules
    let sender: OrgID
    let transactionID: Digest
    let block: BlockContext

    var keys: StateKeys { rules.keys }

    /// Applies one payload to the overlay's pending layer; returns a message for the result.
    mutating func apply<State: StateReader>(
        _ payload: TransactionPayload,
        overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        switch payload {
        case .certificateAnchor(let anchor): return try anchorCertificate(anchor, &overlay)
        case .certificateStatusChange(let change): return try changeStatus(change, &overlay)
        case .batchAnchor(let batch): return try anchorBatch(batch, &overlay)
        case .donation(let donation): return try recordDonation(donation, &overlay)
        case .disbursement(let disbursement): return try recordDisbursement(disbursement, &overlay)
        case .subsidyBatch(let batch): return try recordSubsidyBatch(batch, &overlay)
        case .subsidyProgramme(let programme): return try registerProgramme(programme, &overlay)
        case .governanceProposal(let proposal): return try propose(proposal, &overlay)
        case .governanceApproval(let approval): return try approve(approval, &overlay)
        }
    }

    func read<T: CanonicalDecodable, State: StateReader>(
        _ type: T.Type,
        _ key: Digest,
        _ overlay: StateOverlay<State>
    ) throws(PayloadFailure) -> T? {
        do {
            return try overlay.read(type, at: key)
        } catch {
            throw .execution(error)
        }
    }

    func reject(_ reason: RejectionReason, _ message: String) -> PayloadFailure {
        .rejected(Rejection(reason, message))
    }
}
