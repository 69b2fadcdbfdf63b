/// What a signature is for. Every signed byte string is `domain ‖ chain id ‖ genesis hash ‖ canonical
/// encoding` (the first two length-prefixed, the hash its raw bytes), so a signature over one kind of message
/// on one network can never be replayed as another kind or on another network (`docs/encoding.md`, "Signed
/// bytes"). The versions moved (transaction v3, consensus v2) when the genesis hash joined, in issue 16.
public enum SigningDomain: String, Sendable, CaseIterable {
    case transaction = "civicledger/transaction/v3"
    /// Consensus messages (`Consensus/SPEC.md` §2).
    case proposal = "civicledger/proposal/v2"
    case prevote = "civicledger/prevote/v2"
    case precommit = "civicledger/precommit/v2"

    /// The exact bytes a signer signs for `encoding` in this domain on `network`.
    public func signedBytes(network: NetworkID, encoding: [UInt8]) -> [UInt8] {
        var writer = CanonicalWriter(reservingCapacity: encoding.count + 128)
        writer.write(rawValue)
        writer.write(network.chainID)
        writer.write(network.genesisHash)
        writer.write(raw: encoding)
        return writer.bytes
    }
}
