/// Why a file is not a receipt this verifier can read (`docs/receipts.md`). The verifier never guesses: a
/// receipt it cannot read fully is refused with the field at fault.
public enum ReceiptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither a binary receipt (magic `CIVR`) nor a JSON receipt.
    case notAReceipt(String)
    /// Written in another version of the format: a newer one, or an older one no network runs.
    case unsupportedVersion(Int)
    /// A field is missing, of the wrong type, or not a valid encoding.
    case malformed(field: String, reason: String)
    /// The readable summary says something the evidence does not: the file was edited.
    case summaryMismatch

    public var description: String {
        switch self {
        case .notAReceipt(let reason): return "not a CivicLedger receipt: \(reason)"
        case .unsupportedVersion(let version) where version < Receipt.oldestReadable:
            return
                "receipt format version \(version) is older than this verifier reads (\(Receipt.oldestReadable) to \(Receipt.version)): it describes a ledger format no network runs; fetch a new receipt (civic receipt)"
        case .unsupportedVersion(let version):
            return
                "receipt format version \(version) is newer than this verifier reads (\(Receipt.oldestReadable) to \(Receipt.version)); update civic"
        case .malformed(let field, let reason): return "receipt field \(field): \(reason)"
        case .summaryMismatch:
            return "the receipt's summary does not match its evidence: the file was changed after it was made"
        }
    }
}
