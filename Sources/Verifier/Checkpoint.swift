import LedgerCore
import LedgerCrypto

/// A point a verifier pins to bound how far back a forger must reach (`docs/verifier.md`, "Checkpoints"):
/// a final header at height H with its commit certificate and the validator set it names for H + 1 (itself
/// a `ValidatorHandOff`, whether or not the set changes there), and the hand-offs that lead to it from
/// genesis. Pinned, it tells the verifier every validator set up to H + 1; a header above that is trusted
/// only through the sets the checkpoint hands to, whatever older sets would sign.
public struct Checkpoint: Hashable, Sendable {
    /// The JSON format version this code writes and reads.
    public static let version = 1

    /// The validator-set changes below the checkpoint, in height order, from genesis.
    public let handOffs: [ValidatorHandOff]
    /// The checkpoint's header, its commit certificate and V(H + 1).
    public let point: ValidatorHandOff

    public init(handOffs: [ValidatorHandOff], point: ValidatorHandOff) {
        self.handOffs = handOffs
        self.point = point
    }

    public var height: UInt64 { point.header.height }

    /// The checkpoint's name: its height and header hash.
    public func reference(hash: any HashFunction) -> CheckpointRef {
        CheckpointRef(height: height, headerHash: point.header.hash(hash))
    }

    // MARK: - JSON

    /// `{"civic_checkpoint": 1, "summary": {…}, "evidence": {"hand_offs": [hex…], "checkpoint": hex}}`, each
    /// hex the canonical encoding of a `ValidatorHandOff` (`docs/verifier.md`, "Checkpoint files").
    public func json(hash: any HashFunction) -> JSONValue {
        .object([
            JSONMember("civic_checkpoint", .integer(Int64(Self.version))),
            JSONMember("summary", summary(hash: hash)),
            JSONMember(
                "evidence",
                .object([
                    JSONMember("hand_offs", .array(handOffs.map { .string(Hex.encode($0.canonicalBytes)) })),
                    JSONMember("checkpoint", .string(Hex.encode(point.canonicalBytes))),
                ])
            ),
        ])
    }

    /// What the evidence says, for people; reading checks it matches, never trusts it.
    public func summary(hash: any HashFunction) -> JSONValue {
        .object([
            JSONMember("chain_id", .string(point.header.chainID.value)),
            JSONMember("height", .unsigned(height)),
            JSONMember("time", .string(UTCTimestamp.format(point.header.time))),
            JSONMember("header_hash", .string(point.header.hash(hash).hex)),
            JSONMember("next_validators", .integer(Int64(point.next.validators.count))),
            JSONMember("validator_set_changes", .integer(Int64(handOffs.count))),
        ])
    }

    /// Reads a checkpoint file written by `json(hash:)`, in any key order.
    public init(json bytes: [UInt8], hash: any HashFunction) throws(CheckpointError) {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw .malformed(field: "file", reason: "\(error)") }
        guard case .integer(let version)? = document["civic_checkpoint"] else {
            throw .notACheckpoint
        }
        guard version == Self.version else { throw .unsupportedVersion(Int(clamping: version)) }
        guard case .array(let items)? = document["evidence"]?["hand_offs"],
            items.count <= CertificateEvidence.maximumHandOffs
        else {
            throw .malformed(
                field: "evidence.hand_offs",
                reason: "expected an array of at most \(CertificateEvidence.maximumHandOffs)"
            )
        }
        var handOffs: [ValidatorHandOff] = []
        for (index, item) in items.enumerated() {
            handOffs.append(try Self.handOff(item, "evidence.hand_offs[\(index)]"))
        }
        self.init(
            handOffs: handOffs,
            point: try Self.handOff(document["evidence"]?["checkpoint"], "evidence.checkpoint")
        )
        guard let written = document["summary"], written.ignoringKeyOrder == summary(hash: hash).ignoringKeyOrder else {
            throw .summaryMismatch
        }
    }

    private static func handOff(_ value: JSONValue?, _ field: String) throws(CheckpointError) -> ValidatorHandOff {
        guard case .string(let text)? = value, let bytes = Hex.decode(text) else {
            throw .malformed(field: field, reason: "expected hex")
        }
        do { return try ValidatorHandOff(canonicalBytes: bytes) } catch {
            throw .malformed(field: field, reason: error.description)
        }
    }
}

/// Why a file is not a checkpoint this verifier can read.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case notACheckpoint
    case unsupportedVersion(Int)
    case malformed(field: String, reason: String)
    case summaryMismatch

    public var description: String {
        switch self {
        case .notACheckpoint: return "not a CivicLedger checkpoint: it has no \"civic_checkpoint\" version number"
        case .unsupportedVersion(let version):
            return version < Checkpoint.version
                ? "checkpoint format version \(version) is older than this verifier reads (\(Checkpoint.version))"
                : "checkpoint format version \(version) is newer than this verifier reads (\(Checkpoint.version)); update civic"
        case .malformed(let field, let reason): return "checkpoint field \(field): \(reason)"
        case .summaryMismatch:
            return "the checkpoint's summary does not match its evidence: the file was changed after it was made"
        }
    }
}
