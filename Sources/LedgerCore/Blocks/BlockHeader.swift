import LedgerCrypto

/// What a block commits to (`docs/encoding.md`, "Blocks"). Its hash — the suite hash of this encoding — is
/// what validators sign, so the header binds the chain, the height, the transactions (RFC 6962 root), the
/// state after them, the validator sets, the equivocation evidence it commits, and the previous block and
/// its commit.
///
/// Version 2 (issue 16): the block carries the previous block's commit certificate, so every validator checks
/// `lastCommitHash` against a certificate it verifies instead of taking it as given.
public struct BlockHeader: Hashable, Sendable, CanonicalCodable {
    public static let formatVersion: UInt8 = 2

    public let chainID: ChainID
    public let height: UInt64
    /// Seconds since 1970, agreed by consensus.
    public let time: UInt64
    public let previousBlockHash: Digest
    /// RFC 6962 root over the transactions' canonical encodings.
    public let transactionsRoot: Digest
    public let transactionCount: UInt32
    /// State tree root after executing this block.
    public let stateRoot: Digest
    /// RFC 6962 root over the per-transaction results.
    public let resultsRoot: Digest
    /// RFC 6962 root over the evidence encodings (`Consensus/SPEC.md` §8).
    public let evidenceRoot: Digest
    public let validatorSetHash: Digest
    public let nextValidatorSetHash: Digest
    /// Hash of the commit certificate of the previous block (zero at height 1).
    public let lastCommitHash: Digest
    public let proposer: OrgID

    public init(
        chainID: ChainID,
        height: UInt64,
        time: UInt64,
        previousBlockHash: Digest,
        transactionsRoot: Digest,
        transactionCount: UInt32,
        stateRoot: Digest,
        resultsRoot: Digest,
        evidenceRoot: Digest,
        validatorSetHash: Digest,
        nextValidatorSetHash: Digest,
        lastCommitHash: Digest,
        proposer: OrgID
    ) {
        self.chainID = chainID
        self.height = height
        self.time = time
        self.previousBlockHash = previousBlockHash
        self.transactionsRoot = transactionsRoot
        self.transactionCount = transactionCount
        self.stateRoot = stateRoot
        self.resultsRoot = resultsRoot
        self.evidenceRoot = evidenceRoot
        self.validatorSetHash = validatorSetHash
        self.nextValidatorSetHash = nextValidatorSetHash
        self.lastCommitHash = lastCommitHash
        self.proposer = proposer
    }

    public func hash(_ function: any HashFunction) -> Digest { function.hash(canonicalBytes) }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(Self.formatVersion)
        writer.write(chainID)
        writer.write(height)
        writer.write(time)
        writer.write(previousBlockHash)
        writer.write(transactionsRoot)
        writer.write(transactionCount)
        writer.write(stateRoot)
        writer.write(resultsRoot)
        writer.write(evidenceRoot)
        writer.write(validatorSetHash)
        writer.write(nextValidatorSetHash)
        writer.write(lastCommitHash)
        writer.write(proposer)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        guard try reader.read(UInt8.self) == Self.formatVersion else {
            throw CanonicalDecodingError(.unsupportedVersion, at: start, "unknown block header version")
        }
        chainID = try reader.read(ChainID.self)
        height = try reader.read(UInt64.self)
        time = try reader.read(UInt64.self)
        previousBlockHash = try reader.read(Digest.self)
        transactionsRoot = try reader.read(Digest.self)
        transactionCount = try reader.read(UInt32.self)
        stateRoot = try reader.read(Digest.self)
        resultsRoot = try reader.read(Digest.self)
        evidenceRoot = try reader.read(Digest.self)
        validatorSetHash = try reader.read(Digest.self)
        nextValidatorSetHash = try reader.read(Digest.self)
        lastCommitHash = try reader.read(Digest.self)
        proposer = try reader.read(OrgID.self)
    }
}

/// A block: its header, its transactions in order, the equivocation evidence it commits, and the commit
/// certificate of the previous block (none at height 1), whose hash the header carries.
public struct Block: Hashable, Sendable, CanonicalCodable {
    public static let maximumTransactions = 1_000_000
    public static let maximumEvidence = 1_000

    public let header: BlockHeader
    public let transactions: [SignedTransaction]
    public let evidence: [Equivocation]
    public let lastCommit: CommitCertificate?

    public init(
        header: BlockHeader,
        transactions: [SignedTransaction],
        evidence: [Equivocation] = [],
        lastCommit: CommitCertificate? = nil
    ) {
        self.header = header
        self.transactions = transactions
        self.evidence = evidence
        self.lastCommit = lastCommit
    }

    /// True when the block's transactions, evidence and last commit are the ones its header commits to.
    /// The header hash binds only the header: a relay could otherwise pair an honest header with another
    /// body — a different quorum as last commit — and have the block judged invalid (issue 16 review).
    public func bodyMatchesHeader(hash: any HashFunction) -> Bool {
        Self.transactionsRoot(transactions, hash: hash) == header.transactionsRoot
            && Self.evidenceRoot(evidence, hash: hash) == header.evidenceRoot
            && (lastCommit?.hash(hash) ?? .zero) == header.lastCommitHash
    }

    /// The RFC 6962 root over evidence encodings that the header must carry.
    public static func evidenceRoot(_ evidence: [Equivocation], hash: any HashFunction) -> Digest {
        let log = MerkleLog(hash: hash)
        return log.root(leafHashes: evidence.map { log.leafHash($0.canonicalBytes) })
    }

    /// The RFC 6962 root over transaction encodings that the header must carry.
    public static func transactionsRoot(_ transactions: [SignedTransaction], hash: any HashFunction) -> Digest {
        let log = MerkleLog(hash: hash)
        return log.root(leafHashes: transactions.map { log.leafHash($0.canonicalBytes) })
    }

    /// The RFC 6962 root over result encodings that the header must carry.
    public static func resultsRoot(_ results: [TransactionResult], hash: any HashFunction) -> Digest {
        let log = MerkleLog(hash: hash)
        return log.root(leafHashes: results.map { log.leafHash($0.canonicalBytes) })
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(header)
        writer.write(transactions)
        writer.write(evidence)
        writer.write(lastCommit)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        header = try reader.read(BlockHeader.self)
        let start = reader.offset
        transactions = try reader.readArray(
            of: SignedTransaction.self,
            maxCount: Self.maximumTransactions,
            "transactions"
        )
        guard transactions.count == Int(header.transactionCount) else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: start,
                "header counts \(header.transactionCount) transactions, block has \(transactions.count)"
            )
        }
        evidence = try reader.readArray(of: Equivocation.self, maxCount: Self.maximumEvidence, "evidence")
        lastCommit = try reader.readOptional(CommitCertificate.self)
    }
}
