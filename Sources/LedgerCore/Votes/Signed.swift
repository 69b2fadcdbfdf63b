import LedgerCrypto

/// A consensus message: what a validator signs, as `domain ‖ chain id ‖ genesis hash ‖ encoding`
/// (`Consensus/SPEC.md` §2).
public protocol SignableMessage: CanonicalCodable, Hashable, Sendable {
    func signedBytes(network: NetworkID) -> [UInt8]
}

/// A consensus message with its signature (`SignedVote`, `SignedProposal`): the message's encoding, then the
/// 64-byte signature.
public struct Signed<Message: SignableMessage>: Hashable, Sendable, CanonicalCodable {
    public let message: Message
    public let signature: Signature

    public init(message: Message, signature: Signature) {
        self.message = message
        self.signature = signature
    }

    /// True when `signature` is `key`'s signature of this message on `network` under `suite`.
    public func isSigned(by key: PublicKey, network: NetworkID, suite: any CryptoSuite) -> Bool {
        suite.verify(signature, of: message.signedBytes(network: network), by: key)
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(message)
        writer.write(signature)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        message = try reader.read(Message.self)
        signature = try reader.read(Signature.self)
    }
}
