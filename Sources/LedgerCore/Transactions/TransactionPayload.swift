/// What a transaction does. Encoded as a one-byte tag followed by the case's fields; tags are fixed forever
/// (`docs/encoding.md` lists them).
public enum TransactionPayload: Hashable, Sendable, CanonicalCodable {
    case certificateAnchor(CertificateAnchor)
    case certificateStatusChange(CertificateStatusChange)
    case batchAnchor(BatchAnchor)
    case donation(Donation)
    case disbursement(Disbursement)
    case subsidyBatch(SubsidyBatch)
    case governanceProposal(GovernanceProposal)
    case governanceApproval(GovernanceApproval)
    case subsidyProgramme(SubsidyProgramme)

    /// The wire tag of each case.
    public var tag: UInt8 {
        switch self {
        case .certificateAnchor: return 1
        case .certificateStatusChange: return 2
        case .batchAnchor: return 3
        case .donation: return 4
        case .disbursement: return 5
        case .subsidyBatch: return 6
        case .governanceProposal: return 7
        case .governanceApproval: return 8
        case .subsidyProgramme: return 9
        }
    }

    /// What the payload does, in a few words for reports.
    public var name: String {
        switch self {
        case .certificateAnchor: return "certificate anchor"
        case .certificateStatusChange: return "certificate status change"
        case .batchAnchor: return "batch anchor"
        case .donation: return "donation"
        case .disbursement: return "disbursement"
        case .subsidyBatch: return "subsidy batch"
        case .governanceProposal: return "governance proposal"
        case .governanceApproval: return "governance approval"
        case .subsidyProgramme: return "subsidy programme"
        }
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(tag)
        switch self {
        case .certificateAnchor(let anchor): writer.write(anchor)
        case .certificateStatusChange(let change): writer.write(change)
        case .batchAnchor(let batch): writer.write(batch)
        case .donation(let donation): writer.write(donation)
        case .disbursement(let disbursement): writer.write(disbursement)
        case .subsidyBatch(let batch): writer.write(batch)
        case .governanceProposal(let proposal): writer.write(proposal)
        case .governanceApproval(let approval): writer.write(approval)
        case .subsidyProgramme(let programme): writer.write(programme)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let tag = try reader.read(UInt8.self)
        switch tag {
        case 1: self = .certificateAnchor(try reader.read(CertificateAnchor.self))
        case 2: self = .certificateStatusChange(try reader.read(CertificateStatusChange.self))
        case 3: self = .batchAnchor(try reader.read(BatchAnchor.self))
        case 4: self = .donation(try reader.read(Donation.self))
        case 5: self = .disbursement(try reader.read(Disbursement.self))
        case 6: self = .subsidyBatch(try reader.read(SubsidyBatch.self))
        case 7: self = .governanceProposal(try reader.read(GovernanceProposal.self))
        case 8: self = .governanceApproval(try reader.read(GovernanceApproval.self))
        case 9: self = .subsidyProgramme(try reader.read(SubsidyProgramme.self))
        default: throw CanonicalDecodingError(.unknownTag, at: start, "unknown transaction payload tag \(tag)")
        }
    }
}
