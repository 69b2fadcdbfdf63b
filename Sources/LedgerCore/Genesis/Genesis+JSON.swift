import LedgerCrypto

/// The genesis file's JSON form (`Genesis/README.md`, `Genesis/genesis.schema.json`). Reading checks the
/// structure and every rule and reports all problems at once, each at its JSON path; unknown fields are
/// refused so a typo cannot silently drop a setting.
extension Genesis {
    /// Reads a genesis file. With `checkRules` false only the structure is checked: for tools that build a
    /// genesis step by step, which is not yet a valid network until it has a validator.
    public static func parse(json bytes: [UInt8], checkRules: Bool = true) throws(GenesisError) -> Genesis {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw GenesisError(problems: [GenesisProblem(path: "$", message: "not valid JSON: \(error)")])
        }
        var reader = GenesisJSONReader()
        let genesis = reader.genesis(document)
        guard reader.problems.isEmpty, let genesis else { throw GenesisError(problems: reader.problems) }
        let problems = checkRules ? genesis.problems : []
        guard problems.isEmpty else { throw GenesisError(problems: problems) }
        return genesis
    }

    /// The JSON form, fields in the documented order.
    public var json: JSONValue {
        .object([
            JSONMember("chain_id", .string(chainID.value)),
            JSONMember("crypto_suite", .string(suite.rawValue)),
            JSONMember("genesis_time", .string(UTCTimestamp.format(genesisTime))),
            JSONMember(
                "consensus",
                .object([
                    JSONMember("timeout_propose_ms", .unsigned(consensus.timeoutProposeMs)),
                    JSONMember("timeout_prevote_ms", .unsigned(consensus.timeoutPrevoteMs)),
                    JSONMember("timeout_precommit_ms", .unsigned(consensus.timeoutPrecommitMs)),
                    JSONMember("timeout_increase_ms", .unsigned(consensus.timeoutIncreaseMs)),
                    JSONMember("timeout_maximum_ms", .unsigned(consensus.timeoutMaximumMs)),
                    JSONMember("maximum_block_bytes", .unsigned(consensus.maximumBlockBytes)),
                    JSONMember("maximum_block_transactions", .unsigned(consensus.maximumBlockTransactions)),
                    JSONMember("validator_set_delay", .unsigned(consensus.validatorSetDelay)),
                ])
            ),
            JSONMember("rules", .object([JSONMember("duplicate_subsidy", .string(duplicateSubsidy.rawValue))])),
            JSONMember("members", .array(members.map(\.json))),
        ])
    }
}

extension Member {
    /// The JSON form of a member, as in a genesis file.
    public var json: JSONValue {
        var fields = [
            JSONMember("id", .string(id.value)),
            JSONMember("name", .string(name)),
            JSONMember("roles", .array(roles.roles.map { .string($0.rawValue) })),
            JSONMember("account_keys", .array(accountKeys.map { .string(Hex.encode($0)) })),
        ]
        if let validator {
            fields.append(
                JSONMember(
                    "validator",
                    .object([
                        JSONMember("power", .unsigned(validator.power)),
                        JSONMember("consensus_key", .string(Hex.encode(validator.consensusKey))),
                        JSONMember("tls_key_pin", .string(validator.tlsKeyPin.hex)),
                        JSONMember("address", .string(validator.address)),
                    ])
                )
            )
        }
        if let observerNode {
            var node = [JSONMember("tls_key_pin", .string(observerNode.tlsKeyPin.hex))]
            if !observerNode.address.isEmpty { node.append(JSONMember("address", .string(observerNode.address))) }
            fields.append(JSONMember("observer_node", .object(node)))
        }
        return .object(fields)
    }
}

extension Member {
    /// A member entry written as in a genesis file's `members` (for governance proposals), with every
    /// problem at its JSON path.
    public static func parse(json bytes: [UInt8]) throws(GenesisError) -> Member {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw GenesisError(problems: [GenesisProblem(path: "$", message: "not valid JSON: \(error)")])
        }
        var reader = GenesisJSONReader()
        let member = reader.member(document, "$", suite: nil)
        guard reader.problems.isEmpty, let member else { throw GenesisError(problems: reader.problems) }
        return member
    }
}

/// Walks a genesis document, collecting every problem with its path.
struct GenesisJSONReader {
    private(set) var problems: [GenesisProblem] = []

    mutating func problem(_ path: String, _ message: String) {
        problems.append(GenesisProblem(path: path, message: message))
    }

    mutating func genesis(_ document: JSONValue) -> Genesis? {
        guard
            let fields = object(
                document,
                "$",
                required: ["chain_id", "crypto_suite", "genesis_time", "consensus", "rules", "members"]
            )
        else { return nil }
        let chainID = string(fields["chain_id"], "$.chain_id").flatMap { text -> ChainID? in
            guard let id = ChainID(text) else {
                problem("$.chain_id", "must be \(ChainID.rules)")
                return nil
            }
            return id
        }
        let suite = string(fields["crypto_suite"], "$.crypto_suite").flatMap { text -> CryptoSuiteID? in
            guard let suite = CryptoSuiteID(rawValue: text) else {
                problem("$.crypto_suite", "must be secp256k1-sha256 or sm2-sm3")
                return nil
            }
            return suite
        }
        let time = string(fields["genesis_time"], "$.genesis_time").flatMap { text -> UInt64? in
            guard let seconds = UTCTimestamp.parse(text) else {
                problem("$.genesis_time", "must be an RFC 3339 UTC time like 2026-11-24T00:00:00Z")
                return nil
            }
            return seconds
        }
        let consensus = consensusParameters(fields["consensus"])
        let rule = rules(fields["rules"])
        var members: [Member] = []
        if let list = array(fields["members"], "$.members") {
            for (index, value) in list.enumerated() {
                if let member = member(value, "$.members[\(index)]", suite: suite) { members.append(member) }
            }
        }
        guard let chainID, let suite, let time, let consensus, let rule, problems.isEmpty else { return nil }
        return Genesis(
            chainID: chainID,
            suite: suite,
            genesisTime: time,
            consensus: consensus,
            duplicateSubsidy: rule,
            members: members
        )
    }

    private mutating func consensusParameters(_ value: JSONValue?) -> ConsensusParameters? {
        let names = [
            "timeout_propose_ms", "timeout_prevote_ms", "timeout_precommit_ms", "timeout_increase_ms",
            "timeout_maximum_ms",
            "maximum_block_bytes", "maximum_block_transactions", "validator_set_delay",
        ]
        guard let fields = object(value, "$.consensus", required: names) else { return nil }
        var values: [UInt32] = []
        for name in names {
            guard let number = integer(fields[name], "$.consensus.\(name)", in: 0...Int64(UInt32.max)) else {
                return nil
            }
            values.append(UInt32(number))
        }
        var parameters = ConsensusParameters()
        parameters.timeoutProposeMs = values[0]
        parameters.timeoutPrevoteMs = values[1]
        parameters.timeoutPrecommitMs = values[2]
        parameters.timeoutIncreaseMs = values[3]
        parameters.timeoutMaximumMs = values[4]
        parameters.maximumBlockBytes = values[5]
        parameters.maximumBlockTransactions = values[6]
        parameters.validatorSetDelay = values[7]
        return parameters
    }

    private mutating func rules(_ value: JSONValue?) -> DuplicateSubsidyRule? {
        guard let fields = object(value, "$.rules", required: ["duplicate_subsidy"]) else { return nil }
        guard let text = string(fields["duplicate_subsidy"], "$.rules.duplicate_subsidy") else { return nil }
        guard let rule = DuplicateSubsidyRule(rawValue: text) else {
            problem("$.rules.duplicate_subsidy", "must be \"refuse\" or \"flag\"")
            return nil
        }
        return rule
    }

    mutating func member(_ value: JSONValue, _ path: String, suite: CryptoSuiteID?) -> Member? {
        guard
            let fields = object(
                value,
                path,
                required: ["id", "name", "roles", "account_keys"],
                optional: ["validator", "observer_node"]
            )
        else { return nil }
        let id = string(fields["id"], "\(path).id").flatMap { text -> OrgID? in
            guard let id = OrgID(text) else {
                problem("\(path).id", "must be \(OrgID.rules)")
                return nil
            }
            return id
        }
        let name = string(fields["name"], "\(path).name")
        if let name, name.utf8.count > Member.maximumNameLength {
            problem("\(path).name", "at most \(Member.maximumNameLength) bytes")
        }
        var roles: [Role] = []
        if let list = array(fields["roles"], "\(path).roles") {
            for (index, item) in list.enumerated() {
                guard let text = string(item, "\(path).roles[\(index)]") else { continue }
                guard let role = Role(rawValue: text) else {
                    problem(
                        "\(path).roles[\(index)]",
                        "unknown role \"\(text)\" (validator, registrar, payer, charity, auditor)"
                    )
                    continue
                }
                if roles.contains(role) { problem("\(path).roles[\(index)]", "\(text) is listed twice") }
                roles.append(role)
            }
        }
        var keys: [[UInt8]] = []
        if let list = array(fields["account_keys"], "\(path).account_keys") {
            for (index, item) in list.enumerated() {
                if let key = hex(item, "\(path).account_keys[\(index)]") { keys.append(key) }
            }
        }
        var validator: ValidatorInfo?
        if let value = fields["validator"] { validator = validatorInfo(value, "\(path).validator") }
        var observer: ObserverNode?
        if let value = fields["observer_node"] { observer = observerNode(value, "\(path).observer_node") }
        guard let id, let name else { return nil }
        return Member(
            id: id,
            name: name,
            roles: RoleSet(roles),
            accountKeys: keys,
            validator: validator,
            observerNode: observer
        )
    }

    private mutating func validatorInfo(_ value: JSONValue, _ path: String) -> ValidatorInfo? {
        guard let fields = object(value, path, required: ["power", "consensus_key", "tls_key_pin", "address"]) else {
            return nil
        }
        let power = integer(fields["power"], "\(path).power", in: 1...Int64(ValidatorInfo.maximumPower))
        let key = hex(fields["consensus_key"], "\(path).consensus_key")
        let pin = tlsKeyPin(fields["tls_key_pin"], "\(path).tls_key_pin")
        let address = string(fields["address"], "\(path).address")
        guard let power, let key, let pin, let address else { return nil }
        return ValidatorInfo(power: UInt64(power), consensusKey: key, tlsKeyPin: pin, address: address)
    }

    private mutating func observerNode(_ value: JSONValue, _ path: String) -> ObserverNode? {
        guard let fields = object(value, path, required: ["tls_key_pin"], optional: ["address"]) else { return nil }
        let pin = tlsKeyPin(fields["tls_key_pin"], "\(path).tls_key_pin")
        let address = fields["address"].map { string($0, "\(path).address") } ?? ""
        guard let pin, let address else { return nil }
        return ObserverNode(tlsKeyPin: pin, address: address)
    }

    private mutating func tlsKeyPin(_ value: JSONValue?, _ path: String) -> Digest? {
        hex(value, path).flatMap { bytes -> Digest? in
            guard let pin = Digest(bytes: bytes) else {
                problem(path, "must be the 32-byte SHA-256 of the TLS key's SubjectPublicKeyInfo, as hex")
                return nil
            }
            return pin
        }
    }

    // MARK: - Typed field access

    private mutating func object(
        _ value: JSONValue?,
        _ path: String,
        required: [String],
        optional: [String] = []
    ) -> [String: JSONValue]? {
        guard let value else {
            problem(path, "is missing")
            return nil
        }
        guard case .object(let members) = value else {
            problem(path, "must be an object, not \(value.kind)")
            return nil
        }
        var fields: [String: JSONValue] = [:]
        for member in members {
            if required.contains(member.key) || optional.contains(member.key) {
                fields[member.key] = member.value
            } else {
                problem("\(path).\(member.key)", "unknown field")
            }
        }
        for name in required where fields[name] == nil { problem("\(path).\(name)", "is missing") }
        return fields
    }

    private mutating func array(_ value: JSONValue?, _ path: String) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            problem(path, "must be an array, not \(value.kind)")
            return nil
        }
        return items
    }

    private mutating func string(_ value: JSONValue?, _ path: String) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            problem(path, "must be a string, not \(value.kind)")
            return nil
        }
        return text
    }

    private mutating func integer(_ value: JSONValue?, _ path: String, in range: ClosedRange<Int64>) -> Int64? {
        guard let value else { return nil }
        guard case .integer(let number) = value else {
            problem(path, "must be a whole number, not \(value.kind)")
            return nil
        }
        guard range.contains(number) else {
            problem(path, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    private mutating func hex(_ value: JSONValue?, _ path: String) -> [UInt8]? {
        guard let text = string(value, path) else { return nil }
        guard let bytes = Hex.decode(text) else {
            problem(path, "must be hex")
            return nil
        }
        return bytes
    }
}
