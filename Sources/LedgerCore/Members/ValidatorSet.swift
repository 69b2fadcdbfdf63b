import LedgerCrypto

/// The active validators at some state, in registry order, with their voting power. Its hash goes into
/// every block header, so a verifier can follow validator-set hand-offs from genesis.
public struct ValidatorSet: Hashable, Sendable, CanonicalCodable {
    public struct Validator: Hashable, Sendable, CanonicalCodable {
        public let id: OrgID
        public let power: UInt64
        public let consensusKey: [UInt8]

        public init(id: OrgID, power: UInt64, consensusKey: [UInt8]) {
            self.id = id
            self.power = power
            self.consensusKey = consensusKey
        }

        public func encode(to writer: inout CanonicalWriter) {
            writer.write(id)
            writer.write(power)
            writer.write(bytes: consensusKey)
        }

        public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
            id = try reader.read(OrgID.self)
            power = try reader.read(UInt64.self)
            consensusKey = try reader.readBytes(maxLength: 65, "consensus key")
        }
    }

    public let validators: [Validator]

    public init(validators: [Validator]) {
        self.validators = validators
    }

    /// Sum of all voting power (each at most 2^40, at most 10^4 validators: no overflow).
    public var totalPower: UInt64 { validators.reduce(0) { $0 + $1.power } }

    public func hash(_ function: any HashFunction) -> Digest { function.hash(canonicalBytes) }

    /// The validators of the state `reader` holds.
    public static func load(from reader: some StateReader, keys: StateKeys) throws(ExecutionError) -> ValidatorSet {
        let overlay = StateOverlay(base: reader)
        var validators: [Validator] = []
        for id in try overlay.read(MemberRegistry.self, at: keys.registry)?.members ?? [] {
            guard let record = try overlay.read(MemberRecord.self, at: keys.member(id)), !record.removed,
                let info = record.member.validator
            else { continue }
            validators.append(Validator(id: id, power: info.power, consensusKey: info.consensusKey))
        }
        return ValidatorSet(validators: validators)
    }

    public func encode(to writer: inout CanonicalWriter) { writer.write(validators) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        validators = try reader.readArray(of: Validator.self, maxCount: MemberRegistry.maximumMembers, "validators")
    }
}
