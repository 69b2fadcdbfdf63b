import LedgerCore
import LedgerCrypto

/// Where a peer is in consensus, sent when it changes: what gossip needs to offer it (Consensus/SPEC §11).
public struct PeerStatus: Hashable, Sendable, CanonicalCodable {
    public let height: UInt64
    public let round: UInt32

    public init(height: UInt64, round: UInt32) {
        self.height = height
        self.round = round
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(height)
        writer.write(round)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        height = try reader.read(UInt64.self)
        round = try reader.read(UInt32.self)
    }
}

/// Every message between nodes (`docs/network.md`, "Messages"): one per frame, a tag then the content. Tags
/// are stable; a new message gets a new tag and a new protocol version.
public enum WireMessage: Hashable, Sendable, CanonicalCodable {
    case hello(PeerHello)
    case status(PeerStatus)
    /// Transactions gossiped together: at most `maximumGossipBatch`, in at most `maximumFrameSize` bytes
    /// (`Gossip.frames(for:)` splits larger sets).
    case transactions([SignedTransaction])
    case proposal(SignedProposal)
    case blockPart(BlockPart)
    case vote(SignedVote)
    case evidence(Equivocation)
    /// Block sync: "send me the committed block of this height".
    case blockRequest(height: UInt64)
    /// Block sync: the certificate of a committed block; its parts follow as `syncPart`s.
    case commit(CommitCertificate)
    /// Keepalive and round-trip measurement: answered at once with a `pong` carrying the same nonce.
    case ping(nonce: UInt64)
    case pong(nonce: UInt64)
    /// Block sync: a part of a committed block, sent only to the node that asked. Not gossip, so never
    /// deduplicated: a part refused from one peer can be received again from another.
    case syncPart(BlockPart)

    /// The largest frame a connection accepts: a maximum transaction, with room for its envelope.
    public static let maximumFrameSize = SignedTransaction.maximumEncodedSize + 1024

    /// The most transactions one `transactions` message carries: enough that frames, TLS records and the
    /// receiver's signature batch are amortised, few enough that checking one batch holds a connection's
    /// event loop for only a few milliseconds.
    public static let maximumGossipBatch = 256

    private enum Tag: UInt8 {
        case hello = 1, status, transactions, proposal, blockPart, vote, evidence, blockRequest, commit, ping, pong,
            syncPart
    }

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .hello(let hello):
            writer.write(Tag.hello.rawValue)
            writer.write(hello)
        case .status(let status):
            writer.write(Tag.status.rawValue)
            writer.write(status)
        case .transactions(let transactions):
            writer.write(Tag.transactions.rawValue)
            writer.write(transactions)
        case .proposal(let proposal):
            writer.write(Tag.proposal.rawValue)
            writer.write(proposal)
        case .blockPart(let part):
            writer.write(Tag.blockPart.rawValue)
            writer.write(part)
        case .vote(let vote):
            writer.write(Tag.vote.rawValue)
            writer.write(vote)
        case .evidence(let evidence):
            writer.write(Tag.evidence.rawValue)
            writer.write(evidence)
        case .blockRequest(let height):
            writer.write(Tag.blockRequest.rawValue)
            writer.write(height)
        case .commit(let certificate):
            writer.write(Tag.commit.rawValue)
            writer.write(certificate)
        case .ping(let nonce):
            writer.write(Tag.ping.rawValue)
            writer.write(nonce)
        case .pong(let nonce):
            writer.write(Tag.pong.rawValue)
            writer.write(nonce)
        case .syncPart(let part):
            writer.write(Tag.syncPart.rawValue)
            writer.write(part)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        switch Tag(rawValue: raw) {
        case .hello: self = .hello(try reader.read(PeerHello.self))
        case .status: self = .status(try reader.read(PeerStatus.self))
        case .transactions:
            self = .transactions(
                try reader.readArray(of: SignedTransaction.self, maxCount: Self.maximumGossipBatch, "transactions")
            )
        case .proposal: self = .proposal(try reader.read(SignedProposal.self))
        case .blockPart: self = .blockPart(try reader.read(BlockPart.self))
        case .vote: self = .vote(try reader.read(SignedVote.self))
        case .evidence: self = .evidence(try reader.read(Equivocation.self))
        case .blockRequest: self = .blockRequest(height: try reader.read(UInt64.self))
        case .commit: self = .commit(try reader.read(CommitCertificate.self))
        case .ping: self = .ping(nonce: try reader.read(UInt64.self))
        case .pong: self = .pong(nonce: try reader.read(UInt64.self))
        case .syncPart: self = .syncPart(try reader.read(BlockPart.self))
        case nil: throw CanonicalDecodingError(.unknownTag, at: start, "unknown message tag \(raw)")
        }
    }

    /// How the message travels: consensus traffic ahead of bulk gossip and sync (`SendQueue`).
    public var priority: SendPriority {
        switch self {
        case .transactions, .blockRequest, .commit, .syncPart, .evidence: return .bulk
        case .hello, .status, .proposal, .blockPart, .vote, .ping, .pong: return .consensus
        }
    }

    /// One frame on the wire for this message.
    public var frame: [UInt8] { FrameDecoder.frame(canonicalBytes) }

    /// Decodes one frame's payload: a message, or a typed error that closes the connection.
    public init(frame: [UInt8]) throws(CanonicalDecodingError) {
        try self.init(canonicalBytes: frame, maximumSize: Self.maximumFrameSize)
    }
}
