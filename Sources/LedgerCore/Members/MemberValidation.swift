import LedgerCrypto

/// Checks a member registration against the network's suite; shared by genesis loading and governance.
public enum MemberValidation {
    /// Every problem with `member`, one per entry, each naming the field (`name`, `account_keys[1]`, …).
    public static func problems(_ member: Member, suite: any CryptoSuite) -> [(field: String, message: String)] {
        var problems: [(String, String)] = []
        if member.name.isEmpty { problems.append(("name", "must not be empty")) }
        if member.roles.isEmpty { problems.append(("roles", "a member needs at least one role")) }
        if member.accountKeys.isEmpty { problems.append(("account_keys", "a member needs at least one account key")) }
        if member.accountKeys.count > Member.maximumAccountKeys {
            problems.append(("account_keys", "at most \(Member.maximumAccountKeys) keys"))
        }
        if Set(member.accountKeys).count != member.accountKeys.count {
            problems.append(("account_keys", "a key is listed twice"))
        }
        for (index, key) in member.accountKeys.enumerated() {
            if let reason = keyProblem(key, suite: suite) { problems.append(("account_keys[\(index)]", reason)) }
        }
        if member.roles.contains(.validator) != (member.validator != nil) {
            problems.append(("validator", "validator details are required exactly when the roles include validator"))
        }
        if let validator = member.validator {
            if validator.power < 1 || validator.power > ValidatorInfo.maximumPower {
                problems.append(("validator.power", "must be between 1 and \(ValidatorInfo.maximumPower)"))
            }
            if let reason = keyProblem(validator.consensusKey, suite: suite) {
                problems.append(("validator.consensus_key", reason))
            }
            if !isHostPort(validator.address) {
                problems.append(("validator.address", "must be host:port, e.g. 10.0.0.5:26656"))
            }
        }
        if let observer = member.observerNode {
            if member.validator != nil {
                problems.append(("observer_node", "a validator's node is registered under validator"))
            }
            if !observer.address.isEmpty, !isHostPort(observer.address) {
                problems.append(("observer_node.address", "must be host:port, e.g. 10.0.0.9:26656, or absent"))
            }
        }
        return problems
    }

    /// The first problem as one line, or nil.
    public static func problem(_ member: Member, suite: any CryptoSuite) -> String? {
        problems(member, suite: suite).first.map { "\(member.id): \($0.field): \($0.message)" }
    }

    /// Public keys must be in the suite's canonical encoding (the form `civic keys new` prints).
    static func keyProblem(_ key: [UInt8], suite: any CryptoSuite) -> String? {
        // try?: the decoding failure is the problem reported.
        guard let parsed = try? suite.publicKey(encoded: key) else {
            return "not a valid \(suite.id) public key"
        }
        return parsed.bytes == key ? nil : "use the canonical (compressed) encoding of this key"
    }

    static func isHostPort(_ address: String) -> Bool {
        guard let colon = address.lastIndex(of: ":"), colon != address.startIndex,
            let port = UInt16(address[address.index(after: colon)...]), port > 0
        else { return false }
        return address.utf8.count <= ValidatorInfo.maximumAddressLength
    }
}
