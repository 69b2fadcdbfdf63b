import LedgerCore
import LedgerCrypto

/// One piece of a block in transit (`docs/network.md`, "Blocks travel in parts"): blocks are cut into parts of
/// at most `maximumSize` bytes so that no frame is large and votes never wait behind a whole block. A part
/// names the block by its hash (what the proposal or the commit certificate signs) and its place.
public struct BlockPart: Hashable, Sendable, CanonicalCodable {
    public static let maximumSize = 64 * 1024

    public let height: UInt64
    public let round: UInt32
    public let blockHash: Digest
    public let index: UInt32
    public let count: UInt32
    public let bytes: [UInt8]

    public init(height: UInt64, round: UInt32, blockHash: Digest, index: UInt32, count: UInt32, bytes: [UInt8]) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.index = index
        self.count = count
        self.bytes = bytes
    }

    /// The parts of `block`, whose hash is `blockHash`, as proposed (or committed) in `round`.
    public static func split(_ block: Block, blockHash: Digest, round: UInt32) -> [BlockPart] {
        let encoded = block.canonicalBytes
        let count = max(1, (encoded.count + maximumSize - 1) / maximumSize)
        return (0..<count).map { index in
            let start = index * maximumSize
            return BlockPart(
                height: block.header.height,
                round: round,
                blockHash: blockHash,
                index: UInt32(index),
                count: UInt32(count),
                bytes: Array(encoded[start..<min(start + maximumSize, encoded.count)])
            )
        }
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(height)
        writer.write(round)
        writer.write(blockHash)
        writer.write(index)
        writer.write(count)
        writer.write(bytes: bytes)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        height = try reader.read(UInt64.self)
        round = try reader.read(UInt32.self)
        blockHash = try reader.read(Digest.self)
        let start = reader.offset
        index = try reader.read(UInt32.self)
        count = try reader.read(UInt32.self)
        guard count > 0, index < count else {
            throw CanonicalDecodingError(.invalidValue, at: start, "part \(index) of \(count)")
        }
        bytes = try reader.readBytes(maxLength: Self.maximumSize, "block part")
    }
}

/// Why the parts of a block were refused; the peer that sent them is not trusted for this block.
public enum BlockAssemblyError: Error, Sendable, Equatable, CustomStringConvertible {
    case foreignPart(String)
    case tooLarge(bytes: Int, maximum: Int)
    case conflictingPart(index: UInt32)
    case undecodable(String)
    case hashMismatch(expected: Digest, got: Digest)
    /// The header is right but the transactions or evidence are not the ones it commits to.
    case bodyMismatch

    public var description: String {
        switch self {
        case .foreignPart(let reason): return "part does not belong to this block: \(reason)"
        case .tooLarge(let bytes, let maximum): return "block parts announce \(bytes) bytes; the maximum is \(maximum)"
        case .conflictingPart(let index): return "part \(index) arrived twice with different bytes"
        case .undecodable(let reason): return "the assembled block does not decode: \(reason)"
        case .hashMismatch(let expected, let got):
            return "the assembled block hashes to \(got.hex.prefix(16))…, not \(expected.hex.prefix(16))…"
        case .bodyMismatch: return "the assembled block's transactions or evidence do not match its header"
        }
    }
}

/// Collects the parts of one block (named by its hash) in any order, duplicates allowed, within the chain's
/// block size limit; returns the block once every part is in, its header hashes to the expected value, and
/// its transactions and evidence are the ones the header commits to.
public struct BlockAssembler: Sendable {
    public let blockHash: Digest
    public let maximumBlockBytes: Int
    private let hash: any HashFunction
    private var count: UInt32?
    private var parts: [UInt32: [UInt8]] = [:]

    public init(blockHash: Digest, maximumBlockBytes: Int, hash: any HashFunction) {
        self.blockHash = blockHash
        self.maximumBlockBytes = maximumBlockBytes
        self.hash = hash
    }

    /// Adds a part; returns the block when it is complete and checks out.
    public mutating func add(_ part: BlockPart) throws(BlockAssemblyError) -> Block? {
        guard part.blockHash == blockHash else { throw .foreignPart("another block hash") }
        if let count, count != part.count { throw .foreignPart("announces \(part.count) parts, not \(count)") }
        let announced = Int(part.count) * BlockPart.maximumSize
        guard Int(part.count) <= maximumBlockBytes / BlockPart.maximumSize + 1 else {
            throw .tooLarge(bytes: announced, maximum: maximumBlockBytes)
        }
        count = part.count
        if let existing = parts[part.index] {
            guard existing == part.bytes else { throw .conflictingPart(index: part.index) }
            return nil
        }
        guard part.index + 1 == part.count || part.bytes.count == BlockPart.maximumSize else {
            throw .foreignPart("part \(part.index) is \(part.bytes.count) bytes; only the last may be short")
        }
        parts[part.index] = part.bytes
        guard parts.count == Int(part.count) else { return nil }
        let encoded = (0..<part.count).flatMap { parts[$0] ?? [] }
        guard encoded.count <= maximumBlockBytes else {
            throw .tooLarge(bytes: encoded.count, maximum: maximumBlockBytes)
        }
        let block: Block
        do { block = try Block(canonicalBytes: encoded) } catch { throw .undecodable(error.description) }
        let got = block.header.hash(hash)
        guard got == blockHash else { throw .hashMismatch(expected: blockHash, got: got) }
        guard block.bodyMatchesHeader(hash: hash) else { throw .bodyMismatch }
        return block
    }
}
