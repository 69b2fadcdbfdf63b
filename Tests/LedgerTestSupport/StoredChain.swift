import LedgerCore
import LedgerCrypto
import Storage

/// A chain committed block by block into a real RocksDB store, each block with a commit certificate signed by
/// every validator of V(h) with the fixture's consensus keys — what receipts are built from.
public final class StoredChain {
    public let directory = TemporaryDirectory("civic-stored-chain")
    public let store: RocksDBLedgerStore
    public var fixture: LedgerFixture
    public private(set) var headers: [UInt64: BlockHeader] = [:]
    public private(set) var certificates: [UInt64: CommitCertificate] = [:]
    private var sequences: [OrgID: UInt64] = [:]

    /// A chain of the fixture's consortium, with `extra` members in its genesis.
    public init(suite: CryptoSuiteID = .secp256k1SHA256, extra: [Member] = []) throws {
        fixture = LedgerFixture(suite: suite, extra: extra)
        store = try RocksDBLedgerStore(path: directory.path, suite: suite)
        try store.initialize(genesis: fixture.genesis)
    }

    deinit { store.close() }

    public var hash: any HashFunction { fixture.suite.hashFunction }
    public var rules: LedgerRules { fixture.genesis.rules }

    /// `payload` signed by member `id`'s account with its next sequence.
    public func sign(_ payload: TransactionPayload, by id: OrgID) throws -> SignedTransaction {
        guard let key = fixture.keys[id] else { throw StateReadError("no key for \(id)") }
        let sequence = sequences[id, default: 0]
        sequences[id] = sequence + 1
        return fixture.sign(payload, key: key, sequence: sequence)
    }

    /// Executes and commits the next block at `time` (default: a minute after the last, from genesis time);
    /// returns its results.
    @discardableResult
    public func append(_ transactions: [SignedTransaction], time: UInt64? = nil) throws -> [TransactionResult] {
        let (block, results, prepared) = try store.buildNextBlock(
            transactions,
            executor: fixture.executor,
            time: time ?? fixture.genesis.genesisTime + 60 * UInt64(headers.count + 1),
            proposer: LedgerFixture.guangdong,
            lastCommit: certificates[UInt64(headers.count)]
        )
        let height = block.header.height
        let validators = try store.validatorSet(at: rules.validatorSetVersion(forHeight: height), rules: rules)
        let certificate = try CertifiedChain.certificate(for: block.header, validators: validators, fixture: fixture)
        try store.commit(block, certificate: certificate, results: results, state: prepared)
        headers[height] = block.header
        certificates[height] = certificate
        return results
    }

    /// A governance change giving Sichuan `power` (it has `current` now), proposed by Guangdong and approved
    /// in genesis order by just enough validators to pass (`3 × approved > 2 × total`), all in one block.
    public func changeSichuanPower(to power: UInt64, from current: UInt64 = 10) throws -> [SignedTransaction] {
        guard let key = fixture.keys[LedgerFixture.sichuan] else { throw StateReadError("no key for Sichuan") }
        let sichuan = LedgerFixture.member(LedgerFixture.sichuan, [.validator, .registrar], key: key, power: power)
        let proposal = try sign(
            .governanceProposal(GovernanceProposal(action: .updateMember(sichuan), expiresAtHeight: UInt64.max)),
            by: LedgerFixture.guangdong
        )
        let approve = TransactionPayload.governanceApproval(GovernanceApproval(proposalID: proposal.id(hash: hash)))
        let validators = fixture.genesis.members.compactMap { member in
            member.validator.map { (member.id, member.id == LedgerFixture.sichuan ? current : $0.power) }
        }
        let total = validators.reduce(0) { $0 + $1.1 }
        var approved = validators.first { $0.0 == LedgerFixture.guangdong }?.1 ?? 0
        var transactions = [proposal]
        for (id, weight) in validators where id != LedgerFixture.guangdong && 3 * approved <= 2 * total {
            transactions.append(try sign(approve, by: id))
            approved += weight
        }
        return transactions
    }
}
