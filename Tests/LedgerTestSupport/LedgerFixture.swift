import LedgerCore
import LedgerCrypto

/// A small consortium on an in-memory state, with helpers to sign and execute transactions one block at a
/// time, as the rules tests need.
public struct LedgerFixture {
    public static let guangdong = OrgID("440000")!
    public static let zhejiang = OrgID("330000")!
    public static let sichuan = OrgID("510000")!
    public static let charity = OrgID("53100000500021676K")!
    public static let auditor = OrgID("AUDIT-1")!

    public let suite: any CryptoSuite
    public let genesis: Genesis
    public let executor: Executor
    public var state: InMemoryState
    public var height: UInt64 = 0
    public var keys: [OrgID: PrivateKey] = [:]
    public var sequences: [[UInt8]: UInt64] = [:]

    public static func key(_ label: String, suite: any CryptoSuite) -> PrivateKey {
        try! suite.privateKey(scalar: suite.hashFunction.hash(utf8: "fixture key " + label).bytes)
    }

    public static func member(_ id: OrgID, _ roles: [Role], key: PrivateKey, power: UInt64 = 10) -> Member {
        let suite = key.suite.suite
        let validator =
            roles.contains(.validator)
            ? ValidatorInfo(
                power: power,
                consensusKey: Self.key("consensus " + id.value, suite: suite).publicKey.bytes,
                tlsKeyPin: SHA256().hash(utf8: "tls " + id.value),
                address: "127.0.0.1:2665\(id.value.count)"
            ) : nil
        return Member(
            id: id,
            name: "Org \(id)",
            roles: RoleSet(roles),
            accountKeys: [key.publicKey.bytes],
            validator: validator
        )
    }

    public init(
        suite: CryptoSuiteID = .secp256k1SHA256,
        duplicateSubsidy: DuplicateSubsidyRule = .refuse,
        extra: [Member] = []
    ) {
        self.suite = suite.suite
        let roster: [(OrgID, [Role])] = [
            (Self.guangdong, [.validator, .registrar, .payer]),
            (Self.zhejiang, [.validator, .registrar, .payer]),
            (Self.sichuan, [.validator, .registrar]),
            (Self.charity, [.charity]),
            (Self.auditor, [.auditor]),
        ]
        var members: [Member] = []
        for (id, roles) in roster {
            let key = Self.key(id.value, suite: suite.suite)
            keys[id] = key
            members.append(Self.member(id, roles, key: key))
        }
        // An extra member made with `key(_:suite:)` of its id signs like the roster's.
        for member in extra {
            let key = Self.key(member.id.value, suite: suite.suite)
            if member.accountKeys.contains(key.publicKey.bytes) { keys[member.id] = key }
        }
        genesis = Genesis(
            chainID: ChainID("civic-test")!,
            suite: suite,
            genesisTime: 1_763_942_400,
            duplicateSubsidy: duplicateSubsidy,
            members: members + extra
        )
        executor = Executor(rules: genesis.rules)
        state = InMemoryState()
        state.apply(genesis.initialState)
    }

    /// Signs `payload` from `key` with the next sequence this fixture expects for that key, for this network
    /// (or, as a test of refusals, for the chain id `chain` or the genesis hash `genesisHash` of another).
    public mutating func sign(
        _ payload: TransactionPayload,
        key: PrivateKey,
        sequence: UInt64? = nil,
        chain: String = "civic-test",
        genesisHash: Digest? = nil
    )
        -> SignedTransaction
    {
        let next = sequence ?? sequences[key.publicKey.bytes, default: 0]
        let transaction = Transaction(
            chainID: ChainID(chain)!,
            sender: key.publicKey.bytes,
            sequence: next,
            payload: payload
        )
        let network = NetworkID(chainID: transaction.chainID, genesisHash: genesisHash ?? genesis.hash)
        return try! SignedTransaction(signing: transaction, with: key, for: network)
    }

    /// Executes one block and applies its writes; returns the results.
    @discardableResult
    public mutating func execute(_ transactions: [SignedTransaction]) -> [TransactionResult] {
        height += 1
        let execution = try! executor.execute(
            transactions,
            context: BlockContext(height: height, time: 1_763_942_400 + height),
            state: state
        )
        state.apply(execution.writes)
        for (transaction, result) in zip(transactions, execution.results)
        where result.isApplied || (result.rejection?.consumesSequence ?? false) {
            sequences[transaction.transaction.sender] = transaction.transaction.sequence + 1
        }
        return execution.results
    }

    /// Signs and executes one payload from a member's key.
    @discardableResult
    public mutating func submit(_ payload: TransactionPayload, from id: OrgID) -> TransactionResult {
        execute([sign(payload, key: keys[id]!)])[0]
    }

    public func read<T: CanonicalDecodable>(_ type: T.Type, _ key: Digest) -> T? {
        (try! state.value(at: key)).map { try! T(canonicalBytes: $0) }
    }

    public var stateKeys: StateKeys { genesis.rules.keys }
}

extension Digest {
    public static func of(_ text: String) -> Digest { SHA256().hash(utf8: text) }
}

public enum Payloads {
    /// The certificate a test calls `label`, issued by `issuer`.
    public static func certificate(_ label: String, issuer: OrgID = LedgerFixture.guangdong) -> CertificateRef {
        CertificateRef(issuer: issuer, key: .of("key " + label))
    }

    /// An anchor of certificate `label`; it applies only when sent by `issuer`'s account.
    public static func anchor(
        _ label: String,
        issuer: OrgID = LedgerFixture.guangdong,
        kind: CertificateAnchor.Kind = .marriage
    ) -> TransactionPayload {
        .certificateAnchor(
            CertificateAnchor(
                certificate: certificate(label, issuer: issuer),
                documentCommitment: .of("doc " + label),
                kind: kind
            )
        )
    }

    public static func statusChange(
        _ label: String,
        _ status: CertificateStatus,
        issuer: OrgID = LedgerFixture.guangdong,
        replacement: CertificateRef? = nil,
        reason: String = "divorce-registered"
    ) -> TransactionPayload {
        .certificateStatusChange(
            CertificateStatusChange(
                certificate: certificate(label, issuer: issuer),
                newStatus: status,
                reason: ReasonCode(reason)!,
                replacement: replacement
            )
        )
    }

    public static func donation(_ project: String, _ amount: UInt64) -> TransactionPayload {
        .donation(
            Donation(projectID: ProjectID(project)!, amount: amount, donorCommitment: .of("donor"), receivedAt: 1)
        )
    }

    public static func disbursement(_ project: String, _ amount: UInt64) -> TransactionPayload {
        .disbursement(
            Disbursement(
                projectID: ProjectID(project)!,
                amount: amount,
                recipientCommitment: .of("school"),
                purpose: "meals",
                paidAt: 2
            )
        )
    }

    /// The programme the subsidy payloads pay under: Guangdong's `rural-pension`.
    public static let pension = ProgrammeRef(owner: LedgerFixture.guangdong, name: ProgrammeID("rural-pension")!)

    /// Registers `name` in the sender's namespace, with `payers` besides the sender.
    public static func programme(
        _ name: String = "rural-pension",
        periods: SubsidyPeriod.Kind = .month,
        payers: [OrgID] = []
    ) -> TransactionPayload {
        .subsidyProgramme(SubsidyProgramme(name: ProgrammeID(name)!, periods: periods, payers: payers))
    }

    /// Guangdong's `rural-pension`, which Zhejiang may pay under too: what `subsidy` pays under by default.
    public static let pensionRegistration = programme(payers: [LedgerFixture.zhejiang])

    public static func subsidy(
        _ tags: [String],
        programme: ProgrammeRef = pension,
        period: String = "2026-11"
    ) -> TransactionPayload {
        .subsidyBatch(
            SubsidyBatch(
                programme: programme,
                period: SubsidyPeriod(period)!,
                recordCount: UInt32(tags.count),
                totalAmount: UInt64(tags.count) * 100,
                recordsRoot: .of(tags.joined()),
                beneficiaryTags: tags.map { .of("tag " + $0) }
            )
        )
    }
}
