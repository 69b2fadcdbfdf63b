import LedgerCrypto

/// The questions departments, charities, auditors and verifiers ask of the ledger, each answered with the
/// proofs that make the answer checkable (`docs/rules.md`, "Queries").
public struct LedgerQueries<Reader: LedgerReader> {
    public let reader: Reader
    public let keys: StateKeys

    public init(reader: Reader) {
        self.reader = reader
        keys = StateKeys(hash: reader.hashFunction)
    }

    /// A certificate's current status and full history at `height` (default: latest), with its state proof.
    public func certificate(
        _ certificate: CertificateRef,
        height: UInt64? = nil
    ) throws(QueryError) -> ProvenRecord<CertificateRecord> {
        try proven(CertificateRecord.self, keys.certificate(certificate), height: height)
    }

    /// An anchored batch root's record (who anchored it, how many documents, when) at `height` (default:
    /// latest), with its state proof.
    public func batch(_ root: Digest, height: UInt64? = nil) throws(QueryError) -> ProvenRecord<BatchRecord> {
        try proven(BatchRecord.self, keys.batch(root), height: height)
    }

    /// A project's totals with every donation and disbursement, read at `height` (default: latest).
    public func project(charity: OrgID, project: ProjectID, height: UInt64? = nil) throws(QueryError) -> ProjectReport {
        let key = keys.project(charity: charity, project: project)
        let proven = try proven(ProjectRecord.self, key, height: height)
        var donations: [DonationRecord] = []
        var disbursements: [DisbursementRecord] = []
        if let record = proven.record {
            for index in 0..<record.donationCount {
                if let donation = try value(
                    DonationRecord.self,
                    keys.donation(project: key, index: index),
                    proven.height
                ) {
                    donations.append(donation)
                }
            }
            for index in 0..<record.disbursementCount {
                if let disbursement = try value(
                    DisbursementRecord.self,
                    keys.disbursement(project: key, index: index),
                    proven.height
                ) {
                    disbursements.append(disbursement)
                }
            }
        }
        return ProjectReport(project: proven, donations: donations, disbursements: disbursements)
    }

    /// A registered subsidy programme — its owner and payers — with its state proof.
    public func programme(
        _ programme: ProgrammeRef,
        height: UInt64? = nil
    ) throws(QueryError)
        -> ProvenRecord<ProgrammeRecord>
    {
        try proven(ProgrammeRecord.self, keys.programme(programme), height: height)
    }

    /// Every flagged duplicate subsidy claim of a programme and period, with the list's state proof.
    public func subsidyConflicts(
        programme: ProgrammeRef,
        period: SubsidyPeriod,
        height: UInt64? = nil
    ) throws(QueryError)
        -> ProvenRecord<SubsidyConflictList>
    {
        try proven(
            SubsidyConflictList.self,
            keys.subsidyConflicts(programme: programme, period: period),
            height: height
        )
    }

    /// Every piece of equivocation evidence committed up to `height` (default: latest), with the proof of the
    /// log's count (SPEC §8).
    public func evidence(height: UInt64? = nil) throws(QueryError) -> EvidenceReport {
        let log = try proven(EvidenceLog.self, keys.evidenceLog(), height: height)
        var records: [EvidenceRecord] = []
        for index in 0..<(log.record?.count ?? 0) {
            guard let record = try value(EvidenceRecord.self, keys.evidence(index: index), log.height) else {
                throw .inconsistent("evidence \(index) is counted but missing")
            }
            records.append(record)
        }
        return EvidenceReport(log: log, records: records)
    }

    /// A committed transaction with its result and its RFC 6962 inclusion proof in its block.
    public func transaction(_ id: Digest) throws(QueryError) -> TransactionInclusion? {
        let location: TransactionLocation?
        let block: Block?
        do {
            location = try reader.locateTransaction(id)
            guard let location else { return nil }
            block = try reader.block(atHeight: location.height)
        } catch {
            throw .unreadable(error.message)
        }
        guard let location, let block, Int(location.index) < block.transactions.count else {
            throw .inconsistent("transaction \(id.hex) is indexed but its block is missing")
        }
        let log = MerkleLog(hash: reader.hashFunction)
        let leaves = block.transactions.map { log.leafHash($0.canonicalBytes) }
        do {
            let proof = try log.inclusionProof(index: Int(location.index), leafHashes: leaves)
            return TransactionInclusion(
                transaction: block.transactions[Int(location.index)],
                location: location,
                header: block.header,
                proof: proof
            )
        } catch {
            throw .inconsistent(error.reason)
        }
    }

    // MARK: - Helpers

    private func proven<T: CanonicalDecodable & Sendable>(
        _ type: T.Type,
        _ key: Digest,
        height requested: UInt64?
    ) throws(QueryError)
        -> ProvenRecord<T>
    {
        do {
            let height = try requested ?? reader.latestHeight()
            guard let block = try reader.block(atHeight: height) else { throw QueryError.noSuchHeight(height) }
            let (bytes, proof) = try reader.provenValue(key: key, height: height)
            let record = try bytes.map { (bytes) throws(QueryError) -> T in try decode(T.self, bytes) }
            return ProvenRecord(record: record, height: height, header: block.header, proof: proof)
        } catch let error as QueryError {
            throw error
        } catch let error as StateReadError {
            throw .unreadable(error.message)
        } catch {
            throw .unreadable("\(error)")
        }
    }

    private func value<T: CanonicalDecodable>(_ type: T.Type, _ key: Digest, _ height: UInt64) throws(QueryError) -> T?
    {
        let bytes: [UInt8]?
        do {
            bytes = try reader.provenValue(key: key, height: height).value
        } catch {
            throw .unreadable(error.message)
        }
        return try bytes.map { (bytes) throws(QueryError) -> T in try decode(T.self, bytes) }
    }

    private func decode<T: CanonicalDecodable>(_ type: T.Type, _ bytes: [UInt8]) throws(QueryError) -> T {
        do {
            return try T(canonicalBytes: bytes)
        } catch {
            throw .inconsistent("\(T.self): \(error)")
        }
    }
}

/// A project's money in and out.
public struct ProjectReport: Sendable {
    public let project: ProvenRecord<ProjectRecord>
    public let donations: [DonationRecord]
    public let disbursements: [DisbursementRecord]
}

/// The committed evidence: the proven count, and each record in commit order.
public struct EvidenceReport: Sendable {
    public let log: ProvenRecord<EvidenceLog>
    public let records: [EvidenceRecord]
}

/// A transaction, where it was committed, and the proof it is in that block's transactions root.
public struct TransactionInclusion: Sendable {
    public let transaction: SignedTransaction
    public let location: TransactionLocation
    public let header: BlockHeader
    public let proof: InclusionProof
}

/// A query could not be answered.
public enum QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchHeight(UInt64)
    case unreadable(String)
    case inconsistent(String)

    public var description: String {
        switch self {
        case .noSuchHeight(let height): return "no block at height \(height)"
        case .unreadable(let message): return "ledger unreadable: \(message)"
        case .inconsistent(let message): return "ledger inconsistent: \(message)"
        }
    }
}
