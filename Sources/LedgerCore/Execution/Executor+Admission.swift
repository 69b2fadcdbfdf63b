import LedgerCrypto

extension Executor {
    /// The mempool's admission check (`docs/node.md`, "Mempool"): everything about a transaction that does
    /// not depend on the others in its block — chain, sender account and member, key still active, signature,
    /// sequence, role. `expectedSequence` is the sequence after the sender's pending transactions, when it has
    /// some. Returns nil when the transaction may wait for a block. The payload's own rules run only in a
    /// block, against the state then.
    public func admissionRejection<State: StateReader>(
        _ signed: SignedTransaction,
        signatureValid: Bool,
        expectedSequence: UInt64?,
        state: State
    ) throws(ExecutionError) -> Rejection? {
        let overlay = StateOverlay(base: state)
        switch try authenticate(
            signed.transaction,
            signatureValid: signatureValid,
            overlay: overlay,
            expectedSequence: expectedSequence
        ) {
        case .failure(let rejection): return rejection
        case .success(let (member, _)):
            let role = LedgerRules.requiredRole(for: signed.transaction.payload)
            guard member.member.roles.contains(role) else {
                return Rejection(
                    .roleNotAllowed,
                    "\(member.member.id) has roles [\(member.member.roles)]; this transaction needs \(role.rawValue)"
                )
            }
            return nil
        }
    }

    /// Why nothing `sender` sends can be admitted (no such account, a removed member, a revoked key), or nil
    /// when its transactions must be checked one by one: the mempool's cheapest refusal, made once per sender.
    public func senderRejection<State: StateReader>(
        _ sender: [UInt8],
        state: State
    ) throws(ExecutionError) -> Rejection? {
        switch try activeSender(sender, overlay: StateOverlay(base: state)) {
        case .failure(let rejection): return rejection
        case .success: return nil
        }
    }

    /// The next sequence the committed state expects from `sender`, or nil for an unknown key.
    public func nextSequence<State: StateReader>(of sender: [UInt8], state: State) throws(ExecutionError) -> UInt64? {
        try StateOverlay(base: state).read(AccountRecord.self, at: rules.keys.account(sender))?.nextSequence
    }

    /// Verifies the signatures of `transactions` across all cores; one verdict each.
    public func verifySignatures(_ transactions: [SignedTransaction]) -> [Bool] {
        var verdicts = [Bool](repeating: false, count: transactions.count)
        var checks: [SignatureCheck] = []
        var indices: [Int] = []
        // A batch has few senders: each key is decoded once.
        var keys: [[UInt8]: PublicKey?] = [:]
        for (index, signed) in transactions.enumerated() {
            let sender = signed.transaction.sender
            // try?: a key that does not decode signed nothing (verdict false).
            if keys[sender] == nil { keys[sender] = .some(try? rules.suite.publicKey(encoded: sender)) }
            guard let key = keys[sender] ?? nil else { continue }
            checks.append(
                SignatureCheck(
                    message: signed.transaction.signedBytes(network: rules.network),
                    signature: signed.signature,
                    publicKey: key
                )
            )
            indices.append(index)
        }
        for (index, valid) in zip(indices, BatchVerifier.verify(checks, suite: rules.suite)) { verdicts[index] = valid }
        return verdicts
    }
}
