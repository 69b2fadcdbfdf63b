import LedgerCore
import LedgerCrypto

/// The canonical encoding of engine inputs, as the write-ahead log stores them (SPEC §10): a tag, then the
/// input's fields. Tags are stable; a new input gets a new tag.
extension ConsensusEvent: CanonicalCodable {
    private enum Tag: UInt8 {
        case proposal = 1
        case vote = 2
        case timeout = 3
        case blockValidated = 4
        case blockBuilt = 5
        case blockCommitted = 6
    }

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .proposal(let signed):
            writer.write(Tag.proposal.rawValue)
            writer.write(signed)
        case .vote(let signed):
            writer.write(Tag.vote.rawValue)
            writer.write(signed)
        case .timeout(let timeout):
            writer.write(Tag.timeout.rawValue)
            writer.write(timeout.height)
            writer.write(timeout.round)
            writer.write(timeout.step)
        case .blockValidated(let hash, let valid):
            writer.write(Tag.blockValidated.rawValue)
            writer.write(hash)
            writer.write(valid)
        case .blockBuilt(let hash):
            writer.write(Tag.blockBuilt.rawValue)
            writer.write(hash)
        case .blockCommitted(let hash):
            writer.write(Tag.blockCommitted.rawValue)
            writer.write(hash)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        switch Tag(rawValue: raw) {
        case .proposal: self = .proposal(try reader.read(SignedProposal.self))
        case .vote: self = .vote(try reader.read(SignedVote.self))
        case .timeout:
            let height = try reader.read(UInt64.self)
            let round = try reader.read(UInt32.self)
            self = .timeout(ConsensusTimeout(height: height, round: round, step: try reader.read(ConsensusStep.self)))
        case .blockValidated:
            let hash = try reader.read(Digest.self)
            self = .blockValidated(hash, valid: try reader.read(Bool.self))
        case .blockBuilt: self = .blockBuilt(try reader.read(Digest.self))
        case .blockCommitted: self = .blockCommitted(try reader.read(Digest.self))
        case nil: throw CanonicalDecodingError(.unknownTag, at: start, "unknown consensus event tag \(raw)")
        }
    }
}
