import LedgerCore
import LedgerCrypto

/// What a validator asks its signing guard to sign (SPEC §9): the position (height, round, step) — a
/// proposal is the `propose` step — the block hash (nil for a nil vote), and the exact bytes to sign.
public struct SigningRequest: Hashable, Sendable {
    public let height: UInt64
    public let round: UInt32
    public let step: ConsensusStep
    public let blockHash: Digest?
    public let signedBytes: [UInt8]

    public init(_ proposal: Proposal, network: NetworkID) {
        height = proposal.height
        round = proposal.round
        step = .propose
        blockHash = proposal.blockHash
        signedBytes = proposal.signedBytes(network: network)
    }

    public init(_ vote: Vote, network: NetworkID) {
        height = vote.height
        round = vote.round
        step = vote.type == .prevote ? .prevote : .precommit
        blockHash = vote.blockHash
        signedBytes = vote.signedBytes(network: network)
    }
}

/// The last thing a validator's key signed, as the signing guard keeps it on disk (SPEC §9).
public struct SigningRecord: Hashable, Sendable, CanonicalCodable {
    public let height: UInt64
    public let round: UInt32
    public let step: ConsensusStep
    public let blockHash: Digest?
    public let signature: Signature

    public init(height: UInt64, round: UInt32, step: ConsensusStep, blockHash: Digest?, signature: Signature) {
        self.height = height
        self.round = round
        self.step = step
        self.blockHash = blockHash
        self.signature = signature
    }

    public init(_ request: SigningRequest, signature: Signature) {
        self.init(
            height: request.height,
            round: request.round,
            step: request.step,
            blockHash: request.blockHash,
            signature: signature
        )
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(height)
        writer.write(round)
        writer.write(step)
        writer.write(blockHash)
        writer.write(signature)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        height = try reader.read(UInt64.self)
        round = try reader.read(UInt32.self)
        step = try reader.read(ConsensusStep.self)
        blockHash = try reader.readOptional(Digest.self)
        signature = try reader.read(Signature.self)
    }
}
