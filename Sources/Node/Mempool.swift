import LedgerCore
import LedgerCrypto
import NIOConcurrencyHelpers
import P2P

/// Why the mempool refused a transaction: a ledger rule known before any block (`Rejection`), or a limit
/// of the pool itself. Each has a stable code for the API and metrics.
public enum MempoolRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case rejected(Rejection)
    /// Already waiting in the pool (or just committed).
    case duplicate
    case tooLarge(bytes: Int, maximum: Int)
    /// The pool holds its maximum count or bytes: try again after the next blocks.
    case full(transactions: Int, bytes: Int)
    /// This sender already has its share of the pool waiting.
    case senderQuota(pending: Int, maximum: Int)
    /// This node could not read its committed state to check the transaction: nothing is said about the
    /// transaction itself; retry later or at another node.
    case ledgerUnreadable(String)

    public var code: String {
        switch self {
        case .rejected(let rejection): return rejection.reason.rawValue
        case .duplicate: return "duplicate"
        case .tooLarge: return "too_large"
        case .full: return "mempool_full"
        case .senderQuota: return "sender_quota"
        case .ledgerUnreadable: return "ledger_unreadable"
        }
    }

    public var description: String {
        switch self {
        case .rejected(let rejection): return rejection.message
        case .duplicate: return "this transaction is already pending"
        case .tooLarge(let bytes, let maximum): return "transaction of \(bytes) bytes; the maximum is \(maximum)"
        case .full(let transactions, let bytes):
            return "the mempool is full (\(transactions) transactions, \(bytes) bytes); retry after the next block"
        case .senderQuota(let pending, let maximum):
            return "this sender has \(pending) transactions pending, the most one sender may have is \(maximum)"
        case .ledgerUnreadable(let error):
            return "this node could not read its ledger state to check the transaction (\(error)); retry later"
        }
    }
}

/// Transactions waiting for a block (`docs/node.md`, "Mempool"). Admission checks everything that does not
/// depend on the other transactions of a block — size, chain, signature (verified once, here, and remembered
/// so block execution skips it), member, key, role, and a sequence that continues the sender's pending ones —
/// and refuses duplicates. Bounded by count and bytes, with a per-sender share so one submitter cannot fill
/// it; blocks are filled round-robin across senders, each sender's transactions in sequence order. After
/// every commit, committed transactions leave and the rest are checked again against the new state.
/// Thread-safe.
public final class Mempool: Sendable {
    public struct Limits: Sendable {
        public var maximumTransactions = 100_000
        public var maximumBytes = 128 << 20
        public var maximumPerSender = 20_000
        public init() {}
    }

    fileprivate struct Entry {
        let transaction: SignedTransaction
        let id: Digest
        let size: Int
    }

    fileprivate struct Contents {
        /// Every transaction held, in a sender's chain or waiting aside.
        var entries: [Digest: Entry] = [:]
        /// Each sender's pending transactions in sequence order (consecutive sequences): what blocks take.
        var senders: [[UInt8]: [Digest]] = [:]
        /// Transactions whose sequence is ahead of their sender's chain, by sequence, until the gap fills.
        var waiting: [[UInt8]: [UInt64: Digest]] = [:]
        /// Senders in the order they first had something pending: the round-robin order of `reap`.
        var order: [[UInt8]] = []
        var bytes = 0
        var signaturesVerified = 0
        /// Recently committed ids, so a late gossip copy is not admitted again (bounded).
        var committed = SeenCache(capacity: 200_000)
        /// Each sender's sequence after its last committed transaction seen by `update`: admission may read a
        /// state from just before that commit, and must not then expect a sequence already used.
        var committedNext: [[UInt8]: UInt64] = [:]
    }

    public let limits: Limits
    /// Told how many transactions each re-check dropped, by reason code (metrics).
    private let onDrop: @Sendable ([String: Int]) -> Void
    private let executor: Executor
    private let hash: any HashFunction
    private let contents = NIOLockedValueBox(Contents())

    public init(
        executor: Executor,
        limits: Limits = Limits(),
        onDrop: @escaping @Sendable ([String: Int]) -> Void = { _ in }
    ) {
        self.executor = executor
        self.limits = limits
        self.onDrop = onDrop
        hash = executor.rules.suite.hashFunction
    }

    public var count: Int { contents.withLockedValue { $0.entries.count } }
    /// How many signatures admission has verified since the pool was made (what junk would cost).
    public var signaturesVerified: Int { contents.withLockedValue { $0.signaturesVerified } }
    public var bytes: Int { contents.withLockedValue { $0.bytes } }

    public func contains(_ id: Digest) -> Bool { contents.withLockedValue { $0.entries[id] != nil } }

    /// The sequence after `sender`'s pending transactions, or nil when it has none pending.
    public func nextSequence(after sender: [UInt8]) -> UInt64? { contents.withLockedValue { $0.chainNext(sender) } }

    /// Which of `ids` the pool holds: their signatures were verified on admission, so block execution
    /// need not verify them again.
    public func verified(among ids: [Digest]) -> Set<Digest> {
        contents.withLockedValue { contents in Set(ids.filter { contents.entries[$0] != nil }) }
    }

    /// Admits transactions against `state` (the committed state): every check that needs no signature first,
    /// then the signatures of those that passed, in one batch across all cores. One outcome each: the
    /// transaction id, or why it was refused. Transactions already held, just committed, or repeated within
    /// the batch are duplicates without a signature check (a block can arrive before the gossip that carried
    /// its transactions).
    ///
    /// Cheap refusal first (issue 16, point 4; `docs/node.md`, "Mempool"): what is refused for its sender
    /// alone — no such account, a removed member, a revoked key — is decided once per sender of the batch,
    /// before anything else, and the rest of that sender's transactions are refused with it without being
    /// encoded, hashed or verified: junk from a key that is no member's costs a dictionary lookup. Every other
    /// check but the signature runs next; only what passes them is verified, in one batch.
    public func add<State: StateReader>(
        _ transactions: [SignedTransaction],
        state: State
    ) -> [Result<Digest, MempoolRefusal>] {
        admit(transactions, state: state).map(\.result)
    }

    /// One transaction's admission: its outcome, and whether its signature was verified and valid — true only
    /// for a transaction its sender's key really signed, which nobody else can make.
    public struct Admission: Sendable {
        public let result: Result<Digest, MempoolRefusal>
        public let signatureVerified: Bool
    }

    /// `add`, saying for each transaction whether its signature was verified (`Admission`).
    public func admit<State: StateReader>(
        _ transactions: [SignedTransaction],
        state: State
    ) -> [Admission] {
        let state = CachedStateReader(state)
        var refusals = envelopeRefusals(transactions.map(\.transaction.envelope), state: state)
        var ids = [Digest?](repeating: nil, count: transactions.count)
        var sizes = [Int](repeating: 0, count: transactions.count)
        for index in transactions.indices where refusals[index] == nil {
            let encoded = transactions[index].canonicalBytes
            ids[index] = hash.hash(encoded)
            sizes[index] = encoded.count
        }
        // Held, just committed, or repeated earlier in this batch.
        var inBatch: Set<Digest> = []
        contents.withLockedValue { contents in
            for index in transactions.indices where refusals[index] == nil {
                guard let id = ids[index] else { continue }
                if contents.entries[id] != nil || contents.committed.contains(id) || !inBatch.insert(id).inserted {
                    refusals[index] = .duplicate
                }
            }
        }
        for index in transactions.indices where refusals[index] == nil {
            if case .failure(let refusal) = check(
                transactions[index],
                size: sizes[index],
                signatureValid: true,
                state: state
            ) {
                refusals[index] = refusal
            }
        }
        let unverified = transactions.indices.filter { refusals[$0] == nil }
        var signatures = [Bool](repeating: false, count: transactions.count)
        for (index, valid) in zip(unverified, executor.verifySignatures(unverified.map { transactions[$0] })) {
            signatures[index] = valid
        }
        contents.withLockedValue { $0.signaturesVerified += unverified.count }
        return transactions.indices.map { index in
            if let refusal = refusals[index] { return Admission(result: .failure(refusal), signatureVerified: false) }
            guard let id = ids[index] else {  // unreachable: unrefused ones have ids
                return Admission(result: .failure(.duplicate), signatureVerified: false)
            }
            let result = admit(
                transactions[index],
                id: id,
                size: sizes[index],
                signatureValid: signatures[index],
                state: state
            )
            return Admission(result: result, signatureVerified: signatures[index])
        }
    }

    /// What the envelopes alone decide (`TransactionEnvelope`): another chain, or a sender that can send
    /// nothing (`senderRefusal`, decided once per sender). One entry per envelope; nil where the transaction
    /// must be checked further. A batch received as bytes is put through this before it is decoded further,
    /// then through `admit`, which asks the same again.
    public func envelopeRefusals<State: StateReader>(
        _ envelopes: [TransactionEnvelope],
        state: State
    ) -> [MempoolRefusal?] {
        let chainID = executor.rules.chainID
        var senders: [SenderKey: MempoolRefusal?] = [:]
        return envelopes.map { envelope in
            guard envelope.chainID == chainID else {
                return .rejected(Rejection(.wrongChain, "the transaction is for another chain; this is \(chainID)"))
            }
            let sender = SenderKey(bytes: envelope.sender)
            if let known = senders[sender] { return known }
            let refusal = senderRefusal(envelope.sender, state: state)
            senders[sender] = refusal
            return refusal
        }
    }

    /// The refusal that holds for every transaction `sender` could send — it is no account, its member was
    /// removed, or its key revoked — or nil when its transactions must be checked one by one.
    private func senderRefusal<State: StateReader>(_ sender: [UInt8], state: State) -> MempoolRefusal? {
        do {
            guard let rejection = try executor.senderRejection(sender, state: state) else { return nil }
            return .rejected(rejection)
        } catch {
            return .ledgerUnreadable("\(error)")
        }
    }

    private func admit<State: StateReader>(
        _ transaction: SignedTransaction,
        id: Digest,
        size: Int,
        signatureValid: Bool,
        state: State
    ) -> Result<Digest, MempoolRefusal> {
        let place: (ahead: Bool, expected: UInt64?)
        switch check(transaction, size: size, signatureValid: signatureValid, state: state) {
        case .success(let checked): place = checked
        case .failure(let refusal): return .failure(refusal)
        }
        return contents.withLockedValue { contents in
            contents.insert(
                Entry(transaction: transaction, id: id, size: size),
                ahead: place.ahead,
                expected: place.expected,
                limits: limits
            )
        }
    }

    /// Everything admission checks before inserting — size, sequence window, and the executor's admission
    /// rules with `signatureValid` — and where the transaction would go: ahead of its sender's chain or not,
    /// and the sequence expected.
    private func check<State: StateReader>(
        _ transaction: SignedTransaction,
        size: Int,
        signatureValid: Bool,
        state: State
    ) -> Result<(ahead: Bool, expected: UInt64?), MempoolRefusal> {
        guard size <= SignedTransaction.maximumEncodedSize else {
            return .failure(.tooLarge(bytes: size, maximum: SignedTransaction.maximumEncodedSize))
        }
        let sender = transaction.transaction.sender
        let sequence = transaction.transaction.sequence
        // The sequence after this sender's pending transactions if it has any; otherwise the state's next one,
        // but never below one a commit has already used (the state read may be from just before it).
        let (pending, floor) = contents.withLockedValue { ($0.chainNext(sender), $0.committedNext[sender]) }
        var stateNext: UInt64? = nil
        if pending == nil {
            do { stateNext = try executor.nextSequence(of: sender, state: state) } catch {
                return .failure(.ledgerUnreadable("\(error)"))
            }
        }
        let expected = pending ?? floor.map { max($0, stateNext ?? 0) } ?? stateNext
        // Ahead of the expected sequence: checked in every other respect, then held aside.
        let ahead = expected.map { sequence > $0 } ?? false
        if let expected, ahead, sequence - expected > UInt64(limits.maximumPerSender) {
            return .failure(
                .rejected(
                    Rejection(
                        .badSequence,
                        "sequence \(sequence) is more than \(limits.maximumPerSender) ahead of the next one, \(expected)"
                    )
                )
            )
        }
        do {
            if let rejection = try executor.admissionRejection(
                transaction,
                signatureValid: signatureValid,
                expectedSequence: ahead ? sequence : expected,
                state: state
            ) {
                return .failure(.rejected(rejection))
            }
        } catch {
            return .failure(.ledgerUnreadable("\(error)"))
        }
        return .success((ahead, expected))
    }

    /// Transactions for the next block, at most `maximumCount` and `maximumBytes`: one from each sender in
    /// turn (each sender's in sequence order) until a limit is reached. They stay pooled until committed.
    public func reap(maximumCount: Int, maximumBytes: Int) -> [SignedTransaction] {
        contents.withLockedValue { contents in
            var selected: [SignedTransaction] = []
            var bytes = 0
            var depth = 0
            var listed: Set<[UInt8]> = []
            var active = contents.order.filter { listed.insert($0).inserted }
            while !active.isEmpty, selected.count < maximumCount {
                var next: [[UInt8]] = []
                for sender in active {
                    guard let ids = contents.senders[sender], depth < ids.count,
                        let entry = contents.entries[ids[depth]]
                    else { continue }
                    guard selected.count < maximumCount, bytes + entry.size <= maximumBytes else { return selected }
                    selected.append(entry.transaction)
                    bytes += entry.size
                    next.append(sender)
                }
                active = next
                depth += 1
            }
            return selected
        }
    }

    /// After a block commits: removes its transactions and re-checks what is left against `state`, the new
    /// committed state. Per sender: pending sequences below the account's next one are stale (another of its
    /// transactions took that sequence) and leave; the first remaining one is checked in full (the member may
    /// have been removed, the key revoked, a role withdrawn), and if it fails the sender's whole chain leaves,
    /// since each of its transactions continues the one before. Waiting transactions the commit made stale
    /// leave too, and those it made next join the chain. Returns the re-check's drops by reason code.
    ///
    /// A sender whose account cannot be read is not re-checked: its transactions stay as they were (a store
    /// failure says nothing against them) and, after every other sender is done, `RecheckFailure` says so.
    @discardableResult
    public func update<State: StateReader>(
        committed ids: [Digest],
        state: State
    ) throws(RecheckFailure) -> [String: Int] {
        let remaining: [(sender: [UInt8], chain: [Entry], waiting: [Entry])] = contents.withLockedValue { contents in
            var touched: Set<[UInt8]> = []
            for id in ids {
                _ = contents.committed.insert(id)
                guard let entry = contents.remove(id) else { continue }
                let transaction = entry.transaction.transaction
                touched.insert(transaction.sender)
                // Provisional until the re-check below reads the new state: admissions arriving in between
                // must continue after what this commit used, not from their older state.
                contents.committedNext[transaction.sender] = max(
                    contents.committedNext[transaction.sender] ?? 0,
                    transaction.sequence + 1
                )
            }
            for sender in touched {
                contents.senders[sender] = contents.senders[sender]?.filter { contents.entries[$0] != nil }
            }
            let senders = Set(contents.senders.keys).union(contents.waiting.keys)
            return senders.map { sender in
                (
                    sender,
                    (contents.senders[sender] ?? []).compactMap { contents.entries[$0] },
                    (contents.waiting[sender] ?? [:]).sorted { $0.key < $1.key }.compactMap {
                        contents.entries[$0.value]
                    }
                )
            }
        }
        var dropped: [Digest: String] = [:]
        var nextSequences: [[UInt8]: UInt64] = [:]
        var unreadable: (senders: Int, first: String)? = nil
        for (sender, chain, waiting) in remaining {
            do {
                let (next, drops) = try recheck(chain: chain, waiting: waiting, of: sender, state: state)
                nextSequences[sender] = next
                dropped.merge(drops) { first, _ in first }
            } catch {
                unreadable = (senders: (unreadable?.senders ?? 0) + 1, first: unreadable?.first ?? "\(error)")
            }
        }
        let counts = contents.withLockedValue { contents in
            var counts: [String: Int] = [:]
            var touched: Set<[UInt8]> = []
            for (id, reason) in dropped {
                guard let entry = contents.remove(id) else { continue }
                touched.insert(entry.transaction.transaction.sender)
                counts[reason, default: 0] += 1
            }
            for sender in touched {
                contents.senders[sender] = contents.senders[sender]?.filter { contents.entries[$0] != nil }
            }
            // The committed state's next sequences: admissions that read an older state must not go below them.
            for (sender, next) in nextSequences {
                contents.committedNext[sender] = next
                contents.promote(sender, next: next)
            }
            for (sender, ids) in contents.senders where ids.isEmpty { contents.senders[sender] = nil }
            let live = contents.senders
            contents.order.removeAll { live[$0] == nil }
            return counts
        }
        if !counts.isEmpty { onDrop(counts) }
        if let unreadable { throw RecheckFailure(senders: unreadable.senders, error: unreadable.first) }
        return counts
    }

    /// One sender's re-check after a commit: the account's next sequence (nil when the account is gone) and
    /// which of its transactions leave, with their reason codes.
    private func recheck<State: StateReader>(
        chain: [Entry],
        waiting: [Entry],
        of sender: [UInt8],
        state: State
    ) throws(ExecutionError) -> (next: UInt64?, dropped: [Digest: String]) {
        var dropped: [Digest: String] = [:]
        guard let next = try executor.nextSequence(of: sender, state: state) else {
            for entry in chain + waiting { dropped[entry.id] = RejectionReason.unknownAccount.rawValue }
            return (nil, dropped)
        }
        for (entries, inChain) in [(chain, true), (waiting, false)] {
            let stale = entries.prefix { $0.transaction.transaction.sequence < next }
            for entry in stale { dropped[entry.id] = RejectionReason.badSequence.rawValue }
            let rest = entries.dropFirst(stale.count)
            guard let first = rest.first else { continue }
            let rejection = try executor.admissionRejection(
                first.transaction,
                signatureValid: true,
                expectedSequence: inChain ? next : first.transaction.transaction.sequence,
                state: state
            )
            if let rejection { for entry in rest { dropped[entry.id] = rejection.reason.rawValue } }
        }
        return (next, dropped)
    }

    /// The re-check after a commit could not read some senders' accounts; their transactions were kept as
    /// they were, to be re-checked after a later commit.
    public struct RecheckFailure: Error, CustomStringConvertible {
        public let senders: Int
        /// The first read failure met.
        public let error: String
        public var description: String {
            "could not re-check the pending transactions of \(senders) senders: \(error)"
        }
    }
}

extension Mempool.Contents {
    /// The sequence after `sender`'s chain, or nil when its chain is empty.
    func chainNext(_ sender: [UInt8]) -> UInt64? {
        senders[sender]?.last.flatMap { entries[$0] }.map { $0.transaction.transaction.sequence + 1 }
    }

    /// Adds an admitted transaction to its sender's chain, or aside when it is `ahead` of the chain, then
    /// moves waiting ones the chain now reaches into it. `expected` is the sequence admission expected.
    mutating func insert(
        _ entry: Mempool.Entry,
        ahead: Bool,
        expected: UInt64?,
        limits: Mempool.Limits
    ) -> Result<Digest, MempoolRefusal> {
        // Checked again: a commit of this very transaction may have come since the precheck.
        if entries[entry.id] != nil || committed.contains(entry.id) { return .failure(.duplicate) }
        let transaction = entry.transaction.transaction
        let sender = transaction.sender
        let chain = senders[sender] ?? []
        // Another admission or a commit for this sender may have come since admission read the chain.
        let chainNext = chainNext(sender)
        let sequence = transaction.sequence
        let fits =
            ahead
            ? (chainNext.map { $0 <= sequence } ?? true) && waiting[sender]?[sequence] == nil
            : chainNext == nil || chainNext == sequence
        guard fits, (committedNext[sender] ?? 0) <= sequence else {
            return .failure(.rejected(Rejection(.badSequence, "sequence \(sequence) raced another submission")))
        }
        let held = chain.count + (waiting[sender]?.count ?? 0)
        guard held < limits.maximumPerSender else {
            return .failure(.senderQuota(pending: held, maximum: limits.maximumPerSender))
        }
        guard entries.count < limits.maximumTransactions, bytes + entry.size <= limits.maximumBytes else {
            return .failure(.full(transactions: entries.count, bytes: bytes))
        }
        entries[entry.id] = entry
        bytes += entry.size
        if ahead && chainNext != sequence {
            waiting[sender, default: [:]][sequence] = entry.id
        } else {
            append(entry.id, of: sender)
        }
        // With an empty chain, the next sequence is the later of what admission read and what commits used.
        promote(sender, next: max(expected ?? 0, committedNext[sender] ?? 0))
        return .success(entry.id)
    }

    /// Moves `sender`'s waiting transactions that continue its chain (or, with an empty chain, start at
    /// `next`) into the chain.
    mutating func promote(_ sender: [UInt8], next: UInt64?) {
        guard var held = waiting[sender] else { return }
        guard var sequence = chainNext(sender) ?? next else { return }
        while let id = held.removeValue(forKey: sequence) {
            append(id, of: sender)
            sequence += 1
        }
        waiting[sender] = held.isEmpty ? nil : held
    }

    private mutating func append(_ id: Digest, of sender: [UInt8]) {
        // A sender is in `order` exactly while it has an entry in `senders` (possibly empty between a
        // commit's two steps): appending on an empty list put it there twice and made `reap` select its
        // transactions twice (found by the network benchmark: one transaction twice in a block).
        if senders[sender] == nil { order.append(sender) }
        senders[sender, default: []].append(id)
    }

    /// Forgets a transaction (from a chain, `senders` is filtered by the caller; from the waiting ones here).
    mutating func remove(_ id: Digest) -> Mempool.Entry? {
        guard let entry = entries.removeValue(forKey: id) else { return nil }
        bytes -= entry.size
        let transaction = entry.transaction.transaction
        if waiting[transaction.sender]?[transaction.sequence] == id {
            waiting[transaction.sender]?[transaction.sequence] = nil
            if waiting[transaction.sender]?.isEmpty == true { waiting[transaction.sender] = nil }
        }
        return entry
    }
}

/// A sender's key as a dictionary key, hashed as one block of bytes rather than byte by byte (admission looks
/// every transaction's sender up, junk included).
private struct SenderKey: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
}
