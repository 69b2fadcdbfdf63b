import LedgerCrypto

/// Which vote of a round (`Consensus/SPEC.md` §2). Consensus messages live in LedgerCore because blocks
/// carry them: commit certificates hold precommits, and evidence holds conflicting votes or proposals.
public enum VoteType: UInt8, Sendable, CaseIterable {
    case prevote = 1
    case precommit = 2

    /// The signing domain of this vote type.
    public var domain: SigningDomain {
        switch self {
        case .prevote: return .prevote
        case .precommit: return .precommit
        }
    }
}

/// A validator's prevote or precommit for a block hash, or for nil (no block) — the signed content.
public struct Vote: Hashable, Sendable, SignableMessage {
    public let type: VoteType
    public let height: UInt64
    public let round: UInt32
    /// Nil for a nil vote.
    public let blockHash: Digest?
    public let validatorIndex: UInt16

    public init(type: VoteType, height: UInt64, round: UInt32, blockHash: Digest?, validatorIndex: UInt16) {
        self.type = type
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.validatorIndex = validatorIndex
    }

    /// The bytes a validator signs for this vote on `network` (SPEC §2).
    public func signedBytes(network: NetworkID) -> [UInt8] {
        var writer = CanonicalWriter()
        writer.write(height)
        writer.write(round)
        writer.write(blockHash)
        writer.write(validatorIndex)
        return type.domain.signedBytes(network: network, encoding: writer.bytes)
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(type.rawValue)
        writer.write(height)
        writer.write(round)
        writer.write(blockHash)
        writer.write(validatorIndex)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        guard let type = VoteType(rawValue: raw) else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown vote type \(raw)")
        }
        self.type = type
        height = try reader.read(UInt64.self)
        round = try reader.read(UInt32.self)
        blockHash = try reader.readOptional(Digest.self)
        validatorIndex = try reader.read(UInt16.self)
    }
}

/// A vote with its signature.
public typealias SignedVote = Signed<Vote>

extension Signed where Message == Vote {
    public init(vote: Vote, signature: Signature) { self.init(message: vote, signature: signature) }
    public var vote: Vote { message }
}
