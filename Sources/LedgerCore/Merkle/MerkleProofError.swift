/// Why a Merkle proof does not prove what it claims, or could not be built.
public struct MerkleProofError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The index or size is outside what the tree allows (index ≥ size, old size 0 or above new size).
        case invalidSize = "invalid_size"
        /// The proof has more or fewer hashes than the sizes imply.
        case wrongLength = "wrong_length"
        /// The recomputed root differs from the expected root.
        case rootMismatch = "root_mismatch"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    public static func == (lhs: MerkleProofError, rhs: MerkleProofError) -> Bool { lhs.code == rhs.code }
}
