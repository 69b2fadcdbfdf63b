import LedgerCrypto

/// A proposer's proposal of a block for one round (SPEC §2). `polRound` is the round whose prevotes
/// justified re-proposing a valid value, or −1.
public struct Proposal: Hashable, Sendable, SignableMessage {
    public let height: UInt64
    public let round: UInt32
    public let blockHash: Digest
    public let polRound: Int64
    public let proposerIndex: UInt16

    public init(height: UInt64, round: UInt32, blockHash: Digest, polRound: Int64, proposerIndex: UInt16) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.polRound = polRound
        self.proposerIndex = proposerIndex
    }

    /// The bytes the proposer signs on `network`.
    public func signedBytes(network: NetworkID) -> [UInt8] {
        SigningDomain.proposal.signedBytes(network: network, encoding: canonicalBytes)
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(height)
        writer.write(round)
        writer.write(blockHash)
        writer.write(polRound)
        writer.write(proposerIndex)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        height = try reader.read(UInt64.self)
        round = try reader.read(UInt32.self)
        blockHash = try reader.read(Digest.self)
        let start = reader.offset
        polRound = try reader.read(Int64.self)
        guard polRound >= -1, polRound < Int64(round) else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: start,
                "POL round \(polRound) must be -1 or below the round"
            )
        }
        proposerIndex = try reader.read(UInt16.self)
    }
}

/// A proposal with its signature.
public typealias SignedProposal = Signed<Proposal>

extension Signed where Message == Proposal {
    public init(proposal: Proposal, signature: Signature) { self.init(message: proposal, signature: signature) }
    public var proposal: Proposal { message }
}
