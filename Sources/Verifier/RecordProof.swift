import LedgerCore
import LedgerCrypto

/// The checks every record receipt shares (`docs/verifier.md`, "Certificates", "Documents in a batch"): the
/// state proof of a record — or of its absence — under a header already trusted, and that the transaction
/// which wrote it is final and applied. Each record kind adds only what is its own.
enum RecordProof {
    /// What a state proof showed about a record.
    enum Outcome<Record> {
        case present(Record)
        case absent
        /// The proof does not hold; the check says why.
        case failed
    }

    /// The "state proof" check: `proof` is about `key`, leads to `header`'s state root, and `record` is exactly
    /// what it proves — or it proves there is none and the evidence carries none.
    static func state<Record: CanonicalEncodable>(
        _ proof: StateProof,
        key: Digest,
        record: Record?,
        header: BlockHeader,
        hash: any HashFunction,
        otherKey: String,
        absent: String,
        present: (Record) -> String
    ) -> (VerificationCheck, Outcome<Record>) {
        func failed(_ detail: String) -> (VerificationCheck, Outcome<Record>) {
            (VerificationCheck("state proof", passed: false, detail), .failed)
        }
        guard proof.key == key else { return failed(otherKey) }
        let proven: Digest?
        do { proven = try proof.verify(root: header.stateRoot, hash: hash) } catch { return failed("\(error)") }
        guard let proven else {
            guard record == nil else { return failed("the proof shows no record, but the evidence carries one") }
            return (VerificationCheck("state proof", passed: true, absent), .absent)
        }
        guard let record, hash.hash(record.canonicalBytes) == proven else {
            return failed("the record is not the one the state proof proves")
        }
        return (VerificationCheck("state proof", passed: true, present(record)), .present(record))
    }

    /// Why the transaction `included`, said to have written a record at `height`, does not stand — nil when it
    /// does: it is in a final block at that height (at or below the evidence's `header`, and that very header
    /// when the heights are equal), proven in it, and applied. What it wrote is the caller's to match.
    static func writer(
        _ included: TransactionEvidence,
        at height: UInt64,
        header: BlockHeader,
        history: TrustedHistory
    ) -> VerificationCheck? {
        func failed(_ detail: String) -> VerificationCheck {
            VerificationCheck("inclusion proof", passed: false, detail)
        }
        guard included.header.height == height, height <= header.height else {
            return failed(
                "the transaction is in block \(included.header.height), the record was written in block \(height)"
            )
        }
        guard height != header.height || included.header == header else {
            return failed("the transaction's block is not the block the evidence speaks for, at the same height")
        }
        // `history` followed the hand-offs up to the evidence's header, at or above this block.
        do { try history.check(included.header, included.certificate) } catch {
            return failed("the block holding the transaction is not final: \(error)")
        }
        let inclusion = TransactionVerifier.inclusion(included, genesis: history.genesis)
        guard inclusion.passed else { return inclusion }
        guard included.result.isApplied else {
            return failed("the transaction was rejected (\(included.result.code)), so it wrote nothing")
        }
        return nil
    }
}
