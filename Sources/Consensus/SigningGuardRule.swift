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
        let signed = (last.height, last.round, last.step.rawValue)
        if asked > signed { return .sign }
        if asked == signed, request.blockHash == last.blockHash { return .reuse(last.signature) }
        return .refuse(SigningRefusal(requested: request, last: last))
    }
}
