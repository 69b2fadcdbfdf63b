import LedgerCore
import LedgerCrypto

/// A self-contained proof that a verifier checks against the genesis file alone (`docs/receipts.md`): a
/// certificate's standing at one height, or a transaction's commitment. Written as JSON for people and
/// tools, or as a compact binary twin; both carry the same evidence in its canonical encoding.
public struct Receipt: Hashable, Sendable {
    /// The format version this code writes. Version 3 (issue 17) names the checkpoint its hand-offs start from
    /// and adds batch and document receipts; version 2 (issue 16), still read, is version 3 with its hand-offs
    /// from genesis and only the first two kinds. Version 1 described a ledger format no network runs.
    public static let version = 3
    /// The oldest format version this code reads.
    public static let oldestReadable = 2
    /// The first bytes of a binary receipt.
    public static let magic: [UInt8] = Array("CIVR".utf8)
    /// The largest receipt file read: hundreds of hand-offs of large validator sets fit.
    public static let maximumBytes = 16 << 20

    /// What a receipt proves.
    public enum Content: Hashable, Sendable {
        case certificate(CertificateEvidence)
        case transaction(TransactionEvidence, handOffs: [ValidatorHandOff])
        /// A batch root's anchoring, as a node serves it; a document's receipt adds its path.
        case batch(BatchEvidence, handOffs: [ValidatorHandOff])
        case document(DocumentEvidence, handOffs: [ValidatorHandOff])
    }

    public let content: Content
    /// The checkpoint the hand-offs start from (they lead on from its height); nil when they start from
    /// genesis. A verifier must hold this checkpoint or a later one (`TrustedHistory.covers`).
    public let base: CheckpointRef?

    public init(_ content: Content, base: CheckpointRef? = nil) {
        self.content = content
        self.base = base
    }

    /// The header the receipt speaks for: nothing later is known to it.
    public var header: BlockHeader {
        switch content {
        case .certificate(let evidence): return evidence.header
        case .transaction(let evidence, _): return evidence.header
        case .batch(let evidence, _): return evidence.header
        case .document(let evidence, _): return evidence.batch.header
        }
    }

    public var handOffs: [ValidatorHandOff] {
        switch content {
        case .certificate(let evidence): return evidence.handOffs
        case .transaction(_, let handOffs), .batch(_, let handOffs), .document(_, let handOffs): return handOffs
        }
    }

    public var kind: String {
        switch content {
        case .certificate: return "certificate"
        case .transaction: return "transaction"
        case .batch: return "batch"
        case .document: return "document"
        }
    }

    // MARK: - Binary

    /// `CIVR`, the version (2 bytes, big-endian), the base checkpoint (optional `CheckpointRef`), the kind
    /// (1 certificate, 2 transaction, 3 batch, 4 document), then the evidence in canonical encoding (and for
    /// the kinds after the first, the hand-offs).
    public var binary: [UInt8] {
        var writer = CanonicalWriter()
        writer.write(raw: Self.magic)
        writer.write(UInt16(Self.version))
        writer.write(base)
        switch content {
        case .certificate(let evidence):
            writer.write(UInt8(1))
            writer.write(evidence)
        case .transaction(let evidence, let handOffs):
            writer.write(UInt8(2))
            writer.write(evidence)
            writer.write(handOffs)
        case .batch(let evidence, let handOffs):
            writer.write(UInt8(3))
            writer.write(evidence)
            writer.write(handOffs)
        case .document(let evidence, let handOffs):
            writer.write(UInt8(4))
            writer.write(evidence)
            writer.write(handOffs)
        }
        return writer.bytes
    }

    public init(binary bytes: [UInt8]) throws(ReceiptError) {
        guard bytes.starts(with: Self.magic) else { throw .notAReceipt("a binary receipt starts with CIVR") }
        guard bytes.count <= Self.maximumBytes else {
            throw .malformed(field: "file", reason: "larger than \(Self.maximumBytes) bytes")
        }
        var reader = CanonicalReader(bytes)
        do {
            _ = try reader.readRaw(count: Self.magic.count, "magic")
            let version = Int(try reader.read(UInt16.self))
            guard (Self.oldestReadable...Self.version).contains(version) else {
                throw ReceiptError.unsupportedVersion(version)
            }
            base = version >= 3 ? try Self.checked(reader.readOptional(CheckpointRef.self)) : nil
            let kind = try reader.read(UInt8.self)
            guard version >= 3 || kind <= 2 else {
                throw ReceiptError.malformed(field: "kind", reason: "kind \(kind) is not in format version \(version)")
            }
            switch kind {
            case 1: content = .certificate(try reader.read(CertificateEvidence.self))
            case 2:
                let evidence = try reader.read(TransactionEvidence.self)
                content = .transaction(evidence, handOffs: try Self.handOffs(&reader))
            case 3:
                let evidence = try reader.read(BatchEvidence.self)
                content = .batch(evidence, handOffs: try Self.handOffs(&reader))
            case 4:
                let evidence = try reader.read(DocumentEvidence.self)
                content = .document(evidence, handOffs: try Self.handOffs(&reader))
            case let kind: throw ReceiptError.malformed(field: "kind", reason: "unknown kind \(kind)")
            }
            try reader.finish()
        } catch let error as ReceiptError {
            throw error
        } catch let error as CanonicalDecodingError {
            throw .malformed(field: "evidence", reason: error.description)
        } catch {
            throw .malformed(field: "evidence", reason: "\(error)")
        }
    }

    /// A base checkpoint at a height a JSON integer holds, and not 0 (genesis is no checkpoint).
    static func checked(_ base: CheckpointRef?) throws(ReceiptError) -> CheckpointRef? {
        guard let base else { return nil }
        guard base.height >= 1, base.height <= UInt64(Int64.max) else {
            throw .malformed(field: "checkpoint", reason: "height \(base.height) is not a checkpoint's")
        }
        return base
    }

    private static func handOffs(_ reader: inout CanonicalReader) throws(CanonicalDecodingError) -> [ValidatorHandOff] {
        try reader.readArray(of: ValidatorHandOff.self, maxCount: CertificateEvidence.maximumHandOffs, "hand-offs")
    }

    /// Reads a receipt file in either form: binary when it starts with `CIVR`, JSON otherwise.
    public init(file bytes: [UInt8]) throws(ReceiptError) {
        if bytes.starts(with: Self.magic) { try self.init(binary: bytes) } else { try self.init(json: bytes) }
    }
}
