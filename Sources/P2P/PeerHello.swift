import LedgerCore
import LedgerCrypto

/// The first message on every connection, both ways (`docs/network.md`): which chain, which genesis,
/// which protocol version, who, and how far along. Any mismatch closes the connection with the reason logged.
public struct PeerHello: Hashable, Sendable, CanonicalCodable {
    public static let protocolVersion: UInt16 = 2

    public let chainID: ChainID
    public let genesisHash: Digest
    public let protocolVersion: UInt16
    public let nodeID: OrgID
    public let height: UInt64

    public init(
        chainID: ChainID,
        genesisHash: Digest,
        protocolVersion: UInt16 = Self.protocolVersion,
        nodeID: OrgID,
        height: UInt64
    ) {
        self.chainID = chainID
        self.genesisHash = genesisHash
        self.protocolVersion = protocolVersion
        self.nodeID = nodeID
        self.height = height
    }

    /// Checks a peer's hello against this node's own: same chain, same genesis, a protocol this node speaks,
    /// and the node id the peer's TLS key is registered to (`expectedNode`, from the handshake).
    public func check(against local: PeerHello, expectedNode: OrgID) throws(HandshakeError) {
        guard chainID == local.chainID else { throw .wrongChain(ours: local.chainID, theirs: chainID) }
        guard genesisHash == local.genesisHash else {
            throw .wrongGenesis(ours: local.genesisHash, theirs: genesisHash)
        }
        guard protocolVersion == local.protocolVersion else {
            throw .unsupportedProtocol(ours: local.protocolVersion, theirs: protocolVersion)
        }
        guard nodeID == expectedNode else { throw .wrongNode(claimed: nodeID, registered: expectedNode) }
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(chainID)
        writer.write(genesisHash)
        writer.write(protocolVersion)
        writer.write(nodeID)
        writer.write(height)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        chainID = try reader.read(ChainID.self)
        genesisHash = try reader.read(Digest.self)
        protocolVersion = try reader.read(UInt16.self)
        nodeID = try reader.read(OrgID.self)
        height = try reader.read(UInt64.self)
    }
}

/// Why a peer's hello was refused; logged, and the connection closed.
public enum HandshakeError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongChain(ours: ChainID, theirs: ChainID)
    case wrongGenesis(ours: Digest, theirs: Digest)
    case unsupportedProtocol(ours: UInt16, theirs: UInt16)
    /// The hello names another member than the one the peer's TLS key is registered to.
    case wrongNode(claimed: OrgID, registered: OrgID)
    /// The first frame was not a hello.
    case noHello

    public var description: String {
        switch self {
        case .wrongChain(let ours, let theirs): return "peer is on chain \(theirs), this node on \(ours)"
        case .wrongGenesis(let ours, let theirs):
            return "peer's genesis is \(theirs.hex.prefix(16))…, this node's \(ours.hex.prefix(16))…"
        case .unsupportedProtocol(let ours, let theirs): return "peer speaks protocol \(theirs), this node \(ours)"
        case .wrongNode(let claimed, let registered):
            return "peer says it is \(claimed) but its TLS key is registered to \(registered)"
        case .noHello: return "the first frame was not a hello"
        }
    }
}
