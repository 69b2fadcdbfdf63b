import LedgerCrypto

/// How many pieces of equivocation evidence the chain has committed; each is kept under its own key
/// (index 0, 1, …) so auditors can list them with proofs (`Consensus/SPEC.md` §8).
public struct EvidenceLog: Hashable, Sendable, CanonicalCodable {
    public var count: UInt32

    public init(count: UInt32 = 0) { self.count = count }

    public func encode(to writer: inout CanonicalWriter) { writer.write(count) }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        count = try reader.read(UInt32.self)
    }
}

/// One committed piece of evidence: the two conflicting signed messages, whom they accuse, and the block
/// that committed them. Anyone can re-check the signatures against the validator set of its height.
public struct EvidenceRecord: Hashable, Sendable, CanonicalCodable {
    public let evidence: Equivocation
    public let accused: OrgID
    public let committedAt: UInt64

    public init(evidence: Equivocation, accused: OrgID, committedAt: UInt64) {
        self.evidence = evidence
        self.accused = accused
        self.committedAt = committedAt
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(evidence)
        writer.write(accused)
        writer.write(committedAt)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        evidence = try reader.read(Equivocation.self)
        accused = try reader.read(OrgID.self)
        committedAt = try reader.read(UInt64.self)
    }
}
