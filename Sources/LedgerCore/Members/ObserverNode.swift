import LedgerCrypto

/// A node run by a member that does not vote (a court, a bank, an auditor): it receives every gossiped
/// message and committed block and serves verifiers. Peers accept it by the pin of its TLS key, exactly as
/// they accept validators' nodes (`docs/network.md`, "Trust").
public struct ObserverNode: Hashable, Sendable, CanonicalCodable {
    /// SHA-256 of the DER SubjectPublicKeyInfo of the node's TLS key.
    public let tlsKeyPin: Digest
    /// `host:port` of its peer-to-peer listener, or empty for a node that only dials out.
    public let address: String

    public init(tlsKeyPin: Digest, address: String = "") {
        self.tlsKeyPin = tlsKeyPin
        self.address = address
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(tlsKeyPin)
        writer.write(address)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        tlsKeyPin = try reader.read(Digest.self)
        address = try reader.readString(maxLength: ValidatorInfo.maximumAddressLength, "observer address")
    }
}
