import LedgerCore
import LedgerCrypto

/// Names a checkpoint (`docs/verifier.md`, "Checkpoints"): the height of its header and that header's hash.
/// A receipt whose hand-offs start at a checkpoint names it, so a verifier that does not hold it can say
/// which one it needs. Canonical encoding: height (u64), header hash (digest).
public struct CheckpointRef: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public let height: UInt64
    public let headerHash: Digest

    public init(height: UInt64, headerHash: Digest) {
        self.height = height
        self.headerHash = headerHash
    }

    public var description: String { "the checkpoint at height \(height) (header \(headerHash.hex.prefix(16))…)" }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(height)
        writer.write(headerHash)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        height = try reader.read(UInt64.self)
        headerHash = try reader.read(Digest.self)
    }
}
