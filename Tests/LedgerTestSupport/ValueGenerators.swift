import LedgerCore
import LedgerCrypto

/// Random values of every encodable type, for round-trip and fuzz tests.
extension SeededGenerator {
    public mutating func digest() -> Digest { Digest(bytes: bytes(32))! }

    public mutating func string(maxLength: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 -_/省民政厅婚姻登记")
        var text = ""
        for _ in 0..<Int.random(in: 0...maxLength / 3, using: &self) {
            text.append(alphabet.randomElement(using: &self)!)
        }
        return text
    }

    public mutating func chainID() -> ChainID {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789._-")
        let length = Int.random(in: 1...ChainID.maximumLength, using: &self)
        return ChainID(String((0..<length).map { _ in alphabet.randomElement(using: &self)! }))!
    }

    public mutating func certificateRef() -> CertificateRef { CertificateRef(issuer: orgID(), key: digest()) }

    public mutating func reasonCode() -> ReasonCode {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        let length = Int.random(in: 1...ReasonCode.maximumLength, using: &self)
        return ReasonCode(String((0..<length).map { _ in alphabet.randomElement(using: &self)! }))!
    }

    public mutating func payload() -> TransactionPayload {
        switch Int.random(in: 0..<9, using: &self) {
        case 0:
            return .certificateAnchor(
                CertificateAnchor(
                    certificate: certificateRef(),
                    documentCommitment: digest(),
                    kind: CertificateAnchor.Kind.allCases.randomElement(using: &self)!
                )
            )
        case 1:
            return .certificateStatusChange(
                CertificateStatusChange(
                    certificate: certificateRef(),
                    newStatus: CertificateStatus.allCases.randomElement(using: &self)!,
                    reason: reasonCode(),
                    replacement: Bool.random(using: &self) ? certificateRef() : nil
                )
            )
        case 2:
            return .batchAnchor(
                BatchAnchor(
                    root: digest(),
                    leafCount: UInt32.random(in: 0...UInt32.max, using: &self),
                    label: string(maxLength: 120)
                )
            )
        case 3:
            return .donation(
                Donation(projectID: projectID(), amount: next(), donorCommitment: digest(), receivedAt: next())
            )
        case 4:
            return .disbursement(
                Disbursement(
                    projectID: projectID(),
                    amount: next(),
                    recipientCommitment: digest(),
                    purpose: string(maxLength: 120),
                    paidAt: next()
                )
            )
        case 5:
            return .subsidyBatch(subsidyBatch(tags: Int.random(in: 0...40, using: &self)))
        case 6:
            return .governanceProposal(GovernanceProposal(action: governanceAction(), expiresAtHeight: next()))
        case 7:
            return .governanceApproval(GovernanceApproval(proposalID: digest()))
        default:
            return .subsidyProgramme(
                SubsidyProgramme(
                    name: programmeID(),
                    periods: SubsidyPeriod.Kind.allCases.randomElement(using: &self)!,
                    payers: (0..<Int.random(in: 0...3, using: &self)).map { _ in orgID() }
                )
            )
        }
    }

    public mutating func projectID() -> ProjectID {
        let alphabet = Array("abcXYZ019._-")
        return ProjectID(
            String((0..<Int.random(in: 1...64, using: &self)).map { _ in alphabet.randomElement(using: &self)! })
        )!
    }

    public mutating func programmeID() -> ProgrammeID {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-")
        return ProgrammeID(
            String((0..<Int.random(in: 1...32, using: &self)).map { _ in alphabet.randomElement(using: &self)! })
        )!
    }

    public mutating func orgID() -> OrgID {
        let alphabet = Array("0123456789ABCDEFGHJK-")
        return OrgID(
            String((0..<Int.random(in: 1...32, using: &self)).map { _ in alphabet.randomElement(using: &self)! })
        )!
    }

    public mutating func member() -> Member {
        var roles = Role.allCases.filter { _ in Bool.random(using: &self) }
        let validator = roles.contains(.validator)
        if roles.isEmpty { roles = [.auditor] }
        return Member(
            id: orgID(),
            name: string(maxLength: 120),
            roles: RoleSet(roles),
            accountKeys: (0..<Int.random(in: 0...3, using: &self)).map { _ in [0x03] + bytes(32) },
            validator: validator
                ? ValidatorInfo(
                    power: UInt64.random(in: 1...ValidatorInfo.maximumPower, using: &self),
                    consensusKey: [0x02] + bytes(32),
                    tlsKeyPin: digest(),
                    address: "10.0.0.\(Int.random(in: 1...254, using: &self)):26656"
                ) : nil
        )
    }

    public mutating func governanceAction() -> GovernanceAction {
        switch Int.random(in: 0..<3, using: &self) {
        case 0: return .admitMember(member())
        case 1: return .updateMember(member())
        default: return .removeMember(orgID())
        }
    }

    public mutating func subsidyBatch(tags: Int) -> SubsidyBatch {
        SubsidyBatch(
            programme: ProgrammeRef(owner: orgID(), name: programmeID()),
            period: SubsidyPeriod(
                "20\(Int.random(in: 10...99, using: &self))-\(["Q2", "07", "12"].randomElement(using: &self)!)"
            )!,
            recordCount: UInt32(tags),
            totalAmount: next(),
            recordsRoot: digest(),
            beneficiaryTags: (0..<tags).map { _ in digest() }
        )
    }

    public mutating func signedTransaction() -> SignedTransaction {
        let sender = Bool.random(using: &self) ? [0x02] + bytes(32) : [0x04] + bytes(64)
        return SignedTransaction(
            transaction: Transaction(chainID: chainID(), sender: sender, sequence: next(), payload: payload()),
            signature: try! Signature(bytes: bytes(64))
        )
    }
}
