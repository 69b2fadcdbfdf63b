/// What a signature is for. Every signed byte string is `domain ‖ chain id ‖ canonical encoding`
/// (each of the first two length-prefixed), so a signature over one kind of message on one network can never
/// be replayed as another kind or on another network (`docs/encoding.md`, "Signed bytes").
public enum SigningDomain: String, Sendable, CaseIterable {
    case transaction = "civicledger/transaction/v2"
    /// Consensus messages (`Consensus/SPEC.md` §2).
    case proposal = "civicledger/proposal/v1"
    case prevote = "civicledger/prevote/v1"
    case precommit = "civicledger/precommit/v1"

    /// The exact bytes a signer signs for `encoding` in this domain on `chainID`.
    public func signedBytes(chainID: ChainID, encoding: [UInt8]) -> [UInt8] {
        var writer = CanonicalWriter(reservingCapacity: encoding.count + 96)
        writer.write(rawValue)
        writer.write(chainID)
        writer.write(raw: encoding)
        return writer.bytes
    }
}
