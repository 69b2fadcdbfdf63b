import LedgerCrypto

/// Committing equivocation evidence (`Consensus/SPEC.md` §8), pure: each piece must be younger than
/// `maximumAge` heights and older than the block, verify against the validator set of its height, and not
/// repeat an offence already committed. Every piece is appended to the evidence log; a block with any bad
/// piece is invalid as a whole.
public enum EvidenceExecution {
    /// How far back evidence may reach; nodes keep the state versions this needs (`validator_set_delay`
    /// more than this).
    public static let maximumAge: UInt64 = 100

    /// The state writes that commit `evidence` in block `height`, given the state before it.
    /// `validators(h)` answers V(h) for the heights the evidence names.
    public static func writes(
        _ evidence: [Equivocation],
        height: UInt64,
        rules: LedgerRules,
        state: some StateReader,
        validators: (UInt64) throws(EvidenceError) -> ValidatorSet
    ) throws(EvidenceError) -> [StateWrite] {
        guard !evidence.isEmpty else { return [] }
        let keys = rules.keys
        var log: EvidenceLog
        do {
            log = try state.value(at: keys.evidenceLog()).map { try EvidenceLog(canonicalBytes: $0) } ?? EvidenceLog()
        } catch {
            throw .mismatch("the evidence log does not read: \(error)")
        }
        var writes: [Digest: [UInt8]] = [:]
        for piece in evidence {
            guard piece.height < height, piece.height + maximumAge >= height else {
                throw .outOfRange(height: piece.height, blockHeight: height)
            }
            let set = try validators(piece.height)
            try piece.verify(network: rules.network, validators: set, suite: rules.suite)
            let accused = set.validators[Int(piece.validatorIndex)].id
            let position = keys.evidencePosition(
                validator: accused,
                height: piece.height,
                round: piece.round,
                kind: piece.kind
            )
            let seen: Bool
            do { seen = try state.value(at: position) != nil } catch { throw .mismatch("state unreadable: \(error)") }
            guard !seen, writes[position] == nil else { throw .duplicate }
            let record = EvidenceRecord(evidence: piece.normalised, accused: accused, committedAt: height)
            writes[keys.evidence(index: log.count)] = record.canonicalBytes
            writes[position] = EvidenceLog(count: log.count).canonicalBytes  // the index it was committed at
            log.count += 1
        }
        writes[keys.evidenceLog()] = log.canonicalBytes
        return writes.map { StateWrite(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }
}
