import LedgerCrypto

/// What a validating member registers: its voting power, the key its consensus votes are signed with,
/// the pin of its TLS key, and the address its peers dial.
public struct ValidatorInfo: Hashable, Sendable, CanonicalCodable {
    /// Upper bound on one validator's power, so that sums over any realistic set cannot overflow.
    public static let maximumPower: UInt64 = 1 << 40
    public static let maximumAddressLength = 255

    public let power: UInt64
    /// The consensus public key in the network suite's encoding.
    public let consensusKey: [UInt8]
    /// SHA-256 of the DER SubjectPublicKeyInfo of the node's TLS key: peers pin this, not a CA, so a
    /// certificate can be renewed with the same key without touching the chain.
    public let tlsKeyPin: Digest
    /// `host:port` of the node's peer-to-peer listener.
    public let address: String

    public init(power: UInt64, consensusKey: [UInt8], tlsKeyPin: Digest, address: String) {
        self.power = power
        self.consensusKey = consensusKey
        self.tlsKeyPin = tlsKeyPin
        self.address = address
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(power)
        writer.write(bytes: consensusKey)
        writer.write(tlsKeyPin)
        writer.write(address)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        power = try reader.read(UInt64.self)
        guard power >= 1, power <= Self.maximumPower else {
            throw CanonicalDecodingError(.invalidValue, at: start, "validator power must be 1...2^40")
        }
        consensusKey = try reader.readBytes(maxLength: 65, "consensus key")
        tlsKeyPin = try reader.read(Digest.self)
        address = try reader.readString(maxLength: Self.maximumAddressLength, "validator address")
    }
}
