import LedgerCore
import LedgerCrypto

/// What went wrong asking the signing guard for a signature.
public enum SigningGuardError: Error, Sendable, CustomStringConvertible {
    /// The request conflicts with what the key signed before: not signed (SPEC §9).
    case refused(SigningRefusal)
    /// The guard could not record the signature durably, so it did not return it.
    case storage(String)
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case .refused(let refusal): return "signing guard: \(refusal)"
        case .storage(let reason): return "signing guard: \(reason)"
        case .crypto(let error): return "signing guard: \(error)"
        }
    }
}

/// The only holder of a validator's consensus key (SPEC §9). Implementations record each signature durably
/// before returning it and follow `SigningGuardRule`. `FileSigningGuard` (Storage) is the node's;
/// `InMemorySigningGuard` is its twin for tests.
public protocol ConsensusSigner {
    /// The last signature returned, if any.
    var last: SigningRecord? { get }
    mutating func sign(_ request: SigningRequest) throws(SigningGuardError) -> Signature
    /// Makes `record`, a verified signature by this key that this guard did not make, the last record —
    /// durably — when `SigningGuardRule.adopts` says so; returns whether it did.
    mutating func adopt(_ record: SigningRecord) throws(SigningGuardError) -> Bool
}

/// The signing guard without a disk, for tests and the simulator: same rule, nothing survives the process.
public struct InMemorySigningGuard: ConsensusSigner {
    public private(set) var last: SigningRecord?
    private let key: PrivateKey

    public init(key: PrivateKey, last: SigningRecord? = nil) {
        self.key = key
        self.last = last
    }

    public mutating func sign(_ request: SigningRequest) throws(SigningGuardError) -> Signature {
        switch SigningGuardRule.verdict(for: request, after: last) {
        case .reuse(let signature): return signature
        case .refuse(let refusal): throw .refused(refusal)
        case .sign:
            let signature: Signature
            do { signature = try key.suite.suite.sign(request.signedBytes, with: key) } catch { throw .crypto(error) }
            last = SigningRecord(request, signature: signature)
            return signature
        }
    }

    public mutating func adopt(_ record: SigningRecord) throws(SigningGuardError) -> Bool {
        guard SigningGuardRule.adopts(record, after: last) else { return false }
        last = record
        return true
    }
}
