import LedgerCrypto

/// The genesis of a network: its name, crypto suite, start time, consensus parameters, rule switches and
/// founding members. Every node and every verifier trusts this and nothing else. Its hash is the suite
/// hash of its canonical encoding (`Genesis/README.md`).
public struct Genesis: Hashable, Sendable, CanonicalCodable {
    public static let formatVersion: UInt8 = 1

    public var chainID: ChainID
    public var suite: CryptoSuiteID
    /// Seconds since 1970-01-01 UTC.
    public var genesisTime: UInt64
    public var consensus: ConsensusParameters
    public var duplicateSubsidy: DuplicateSubsidyRule
    public var members: [Member]

    public init(
        chainID: ChainID,
        suite: CryptoSuiteID,
        genesisTime: UInt64,
        consensus: ConsensusParameters = ConsensusParameters(),
        duplicateSubsidy: DuplicateSubsidyRule = .refuse,
        members: [Member]
    ) {
        self.chainID = chainID
        self.suite = suite
        self.genesisTime = genesisTime
        self.consensus = consensus
        self.duplicateSubsidy = duplicateSubsidy
        self.members = members
    }

    /// The genesis hash: what peers compare in their handshake and what receipts are checked against.
    public var hash: Digest { suite.suite.hashFunction.hash(canonicalBytes) }

    /// The network every signature on it is for: its chain id and genesis hash. Computed (hashing the
    /// genesis) on each use: keep the value where it is used often.
    public var network: NetworkID { NetworkID(chainID: chainID, genesisHash: hash) }

    /// The executor's settings for this network.
    public var rules: LedgerRules {
        LedgerRules(
            network: network,
            suite: suite.suite,
            duplicateSubsidy: duplicateSubsidy,
            validatorSetDelay: UInt64(consensus.validatorSetDelay),
            genesisTime: genesisTime
        )
    }

    /// Every problem that makes this genesis unusable, each with the JSON path of its field.
    public var problems: [GenesisProblem] {
        var problems: [GenesisProblem] = []
        for problem in consensus.problems {
            problems.append(GenesisProblem(path: "$.consensus.\(problem.field)", message: problem.message))
        }
        if members.isEmpty { problems.append(GenesisProblem(path: "$.members", message: "a network needs members")) }
        if !members.contains(where: { $0.validator != nil }) {
            problems.append(GenesisProblem(path: "$.members", message: "at least one member must be a validator"))
        }
        var seenIDs: Set<OrgID> = []
        var seenAccountKeys: [[UInt8]: Int] = [:]
        var seenConsensusKeys: [[UInt8]: OrgID] = [:]
        var seenPins: [Digest: OrgID] = [:]
        for (index, member) in members.enumerated() {
            let path = "$.members[\(index)]"
            if !seenIDs.insert(member.id).inserted {
                problems.append(GenesisProblem(path: "\(path).id", message: "\(member.id) appears twice"))
            }
            for problem in MemberValidation.problems(member, suite: suite.suite) {
                problems.append(GenesisProblem(path: "\(path).\(problem.field)", message: problem.message))
            }
            for (keyIndex, key) in member.accountKeys.enumerated() {
                if let owner = seenAccountKeys[key], owner != index {
                    problems.append(
                        GenesisProblem(
                            path: "\(path).account_keys[\(keyIndex)]",
                            message: "also an account key of \(members[owner].id) ($.members[\(owner)])"
                        )
                    )
                }
                seenAccountKeys[key] = index
            }
            if let validator = member.validator {
                if let owner = seenConsensusKeys[validator.consensusKey] {
                    problems.append(
                        GenesisProblem(
                            path: "\(path).validator.consensus_key",
                            message: "also the consensus key of \(owner)"
                        )
                    )
                }
                seenConsensusKeys[validator.consensusKey] = member.id
                if let owner = seenPins[validator.tlsKeyPin] {
                    problems.append(
                        GenesisProblem(path: "\(path).validator.tls_key_pin", message: "also the TLS key of \(owner)")
                    )
                }
                seenPins[validator.tlsKeyPin] = member.id
            }
            if let observer = member.observerNode {
                if let owner = seenPins[observer.tlsKeyPin] {
                    problems.append(
                        GenesisProblem(
                            path: "\(path).observer_node.tls_key_pin",
                            message: "also the TLS key of \(owner)"
                        )
                    )
                }
                seenPins[observer.tlsKeyPin] = member.id
            }
        }
        return problems
    }

    /// The state before the first block: the member registry, each member and each account key.
    /// Only meaningful for a genesis without `problems`.
    public var initialState: [StateWrite] {
        let keys = StateKeys(hash: suite.suite.hashFunction)
        var writes = [StateWrite(key: keys.registry, value: MemberRegistry(members: members.map(\.id)).canonicalBytes)]
        for member in members {
            writes.append(
                StateWrite(
                    key: keys.member(member.id),
                    value: MemberRecord(member: member, removed: false, changedAtHeight: 0).canonicalBytes
                )
            )
            for key in member.accountKeys {
                writes.append(
                    StateWrite(
                        key: keys.account(key),
                        value: AccountRecord(member: member.id, nextSequence: 0, active: true).canonicalBytes
                    )
                )
            }
        }
        return writes.sorted { $0.key < $1.key }
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(Self.formatVersion)
        writer.write(chainID)
        writer.write(suite.rawValue)
        writer.write(genesisTime)
        writer.write(consensus)
        writer.write(duplicateSubsidy.rawValue)
        writer.write(members)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        guard try reader.read(UInt8.self) == Self.formatVersion else {
            throw CanonicalDecodingError(.unsupportedVersion, at: start, "unknown genesis format version")
        }
        chainID = try reader.read(ChainID.self)
        let suiteStart = reader.offset
        guard let suite = CryptoSuiteID(rawValue: try reader.readString(maxLength: 32, "suite")) else {
            throw CanonicalDecodingError(.invalidValue, at: suiteStart, "unknown crypto suite")
        }
        self.suite = suite
        genesisTime = try reader.read(UInt64.self)
        consensus = try reader.read(ConsensusParameters.self)
        let ruleStart = reader.offset
        guard let rule = DuplicateSubsidyRule(rawValue: try reader.readString(maxLength: 16, "duplicate subsidy rule"))
        else { throw CanonicalDecodingError(.invalidValue, at: ruleStart, "unknown duplicate subsidy rule") }
        duplicateSubsidy = rule
        members = try reader.readArray(of: Member.self, maxCount: MemberRegistry.maximumMembers, "members")
    }

    /// The genesis member an account key acts for, if any (governance may change it later: the ledger state,
    /// not the genesis, is the authority after height 0).
    public func member(holding accountKey: [UInt8]) -> Member? {
        members.first { $0.accountKeys.contains(accountKey) }
    }
}

/// One thing wrong with a genesis file, at a JSON path such as `$.members[2].validator.power`.
public struct GenesisProblem: Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A genesis file that cannot be used, with every problem found (not just the first).
public struct GenesisError: Error, Sendable, CustomStringConvertible {
    public let problems: [GenesisProblem]

    public init(problems: [GenesisProblem]) {
        self.problems = problems
    }

    public var description: String {
        "genesis has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
