import LedgerCrypto

/// What genesis decides for a duplicate subsidy claim (a beneficiary tag already paid for the same
/// programme and period).
public enum DuplicateSubsidyRule: String, Sendable, CaseIterable {
    /// The whole batch is refused with `duplicate_subsidy`.
    case refuse
    /// The batch applies; each repeated tag is recorded as a conflict auditors can list.
    case flag
}

/// The network-wide settings the executor applies, all from genesis.
public struct LedgerRules: Sendable {
    /// The chain id and genesis hash signatures are checked for.
    public let network: NetworkID
    public var chainID: ChainID { network.chainID }
    public let suite: any CryptoSuite
    public let duplicateSubsidy: DuplicateSubsidyRule
    public let keys: StateKeys
    /// `d` of `Consensus/SPEC.md` §1: a validator-set change committed in block `c` governs heights from
    /// `c + d` on.
    public let validatorSetDelay: UInt64
    /// The genesis time: the least time block 1 may carry (block times never go back).
    public let genesisTime: UInt64

    public init(
        network: NetworkID,
        suite: any CryptoSuite,
        duplicateSubsidy: DuplicateSubsidyRule,
        validatorSetDelay: UInt64,
        genesisTime: UInt64
    ) {
        self.network = network
        self.genesisTime = genesisTime
        self.suite = suite
        self.duplicateSubsidy = duplicateSubsidy
        self.validatorSetDelay = validatorSetDelay
        keys = StateKeys(hash: suite.hashFunction)
    }

    /// The state version whose validators form `V(height)` (SPEC §1): the state after block
    /// `height − d`, or genesis (version 0) while `height ≤ d`.
    public func validatorSetVersion(forHeight height: UInt64) -> UInt64 {
        height > validatorSetDelay ? height - validatorSetDelay : 0
    }

    /// Which role a member needs to submit each kind of payload (`docs/rules.md`, "Who may submit what").
    public static func requiredRole(for payload: TransactionPayload) -> Role {
        switch payload {
        case .certificateAnchor, .certificateStatusChange, .batchAnchor: return .registrar
        case .donation, .disbursement: return .charity
        case .subsidyBatch, .subsidyProgramme: return .payer
        case .governanceProposal, .governanceApproval: return .validator
        }
    }
}
