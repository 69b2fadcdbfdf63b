import LedgerCrypto

/// Which network a signature is for (`docs/encoding.md`, "Signed bytes"): the chain id people read, and the
/// genesis hash, which no two networks share — even two local networks both called `civic-local`, or a copy
/// of a network's members under a new genesis. Every signed byte string binds both, so a transaction, vote or
/// proposal signed for one network never verifies on another, whatever keys the two share.
public struct NetworkID: Hashable, Sendable, CustomStringConvertible {
    public let chainID: ChainID
    public let genesisHash: Digest

    public init(chainID: ChainID, genesisHash: Digest) {
        self.chainID = chainID
        self.genesisHash = genesisHash
    }

    public var description: String { "\(chainID) (genesis \(genesisHash.hex.prefix(16))…)" }
}
