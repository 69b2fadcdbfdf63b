import LedgerCrypto

/// Where each record lives in the state tree. Every key is the suite hash of a namespace tag and the
/// record's identity, so keys spread evenly over the 256-bit space and one namespace can never collide
/// with another (`docs/rules.md`, "State layout").
public struct StateKeys: Sendable {
    public let hash: any HashFunction

    public init(hash: any HashFunction) {
        self.hash = hash
    }

    private func key(_ namespace: String, _ fill: (inout CanonicalWriter) -> Void) -> Digest {
        var writer = CanonicalWriter(reservingCapacity: 96)
        writer.write("civicledger/state/" + namespace)
        fill(&writer)
        return hash.hash(writer.bytes)
    }

    /// The list of member ids (registry index).
    public var registry: Digest { key("registry") { _ in } }
    public func member(_ id: OrgID) -> Digest { key("member") { $0.write(id) } }
    public func account(_ publicKey: [UInt8]) -> Digest { key("account") { $0.write(bytes: publicKey) } }
    /// A certificate in its issuer's namespace (`docs/rules.md`, "Certificates").
    public func certificate(_ certificate: CertificateRef) -> Digest { key("certificate") { $0.write(certificate) } }
    public func batch(_ root: Digest) -> Digest { key("batch") { $0.write(root) } }
    public func project(charity: OrgID, project: ProjectID) -> Digest {
        key("project") {
            $0.write(charity)
            $0.write(project)
        }
    }
    public func donation(project: Digest, index: UInt32) -> Digest {
        key("donation") {
            $0.write(project)
            $0.write(index)
        }
    }
    public func disbursement(project: Digest, index: UInt32) -> Digest {
        key("disbursement") {
            $0.write(project)
            $0.write(index)
        }
    }
    /// A subsidy programme in its owner's namespace.
    public func programme(_ programme: ProgrammeRef) -> Digest { key("programme") { $0.write(programme) } }
    public func subsidyTag(programme: ProgrammeRef, period: SubsidyPeriod, tag: Digest) -> Digest {
        key("subsidy-tag") {
            $0.write(programme)
            $0.write(period)
            $0.write(tag)
        }
    }
    public func subsidyBatch(_ transactionID: Digest) -> Digest { key("subsidy-batch") { $0.write(transactionID) } }
    public func subsidyConflicts(programme: ProgrammeRef, period: SubsidyPeriod) -> Digest {
        key("subsidy-conflicts") {
            $0.write(programme)
            $0.write(period)
        }
    }
    public func proposal(_ id: Digest) -> Digest { key("proposal") { $0.write(id) } }
    /// The count of committed evidence, and each piece by index.
    public func evidenceLog() -> Digest { key("evidence-log") { _ in } }
    public func evidence(index: UInt32) -> Digest { key("evidence") { $0.write(index) } }
    /// One offence — a validator signing twice at one position — is committed once, whatever pair shows it.
    public func evidencePosition(validator: OrgID, height: UInt64, round: UInt32, kind: String) -> Digest {
        key("evidence-position") {
            $0.write(validator)
            $0.write(height)
            $0.write(round)
            $0.write(kind)
        }
    }
}
