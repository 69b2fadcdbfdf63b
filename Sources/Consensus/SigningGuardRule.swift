import LedgerCrypto

/// Why the signing guard refused a request (SPEC §9).
public struct SigningRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public let requested: SigningRequest
    public let last: SigningRecord

    public var description: String {
        let what = last.blockHash?.hex.prefix(16) ?? "nil"
        let asked = requested.blockHash?.hex.prefix(16) ?? "nil"
        let position = "height \(requested.height) round \(requested.round) \(requested.step)"
        if (requested.height, requested.round, requested.step.rawValue) == (last.height, last.round, last.step.rawValue)
        {
            return "refused to sign \(asked) at \(position): \(what) was signed there already"
        }
        return
            "refused to sign at \(position): the key already signed at height \(last.height) round \(last.round) \(last.step)"
    }
}

/// The signing guard's rule (SPEC §9), pure: positions (height, round, step) only move forward; at the
/// position signed last, only the same block hash is signed again, and then the stored signature is returned
/// (so a restart re-derives, never re-signs).
public enum SigningGuardRule {
    public enum Verdict: Hashable, Sendable {
        case sign
        case reuse(Signature)
        case refuse(SigningRefusal)
    }

    public static func verdict(for request: SigningRequest, after last: SigningRecord?) -> Verdict {
        guard let last else { return .sign }
        let asked = (request.height, request.round, request.step.rawValue)
        if asked > position(last) { return .sign }
        if asked == position(last), request.blockHash == last.blockHash { return .reuse(last.signature) }
        return .refuse(SigningRefusal(requested: request, last: last))
    }

    /// Whether a verified signature by this key, seen in a peer's message, must become the guard's record
    /// (SPEC §9, "Signatures made elsewhere"): it lies beyond the last position, so this guard did not make
    /// it — an older copy of the validator did (an empty or restored `data/`), or another process holds the
    /// key. Taking it as the record makes the guard refuse whatever would conflict with it.
    public static func adopts(_ seen: SigningRecord, after last: SigningRecord?) -> Bool {
        guard let last else { return true }
        return position(seen) > position(last)
    }

    private static func position(_ record: SigningRecord) -> (UInt64, UInt32, UInt8) {
        (record.height, record.round, record.step.rawValue)
    }
}
