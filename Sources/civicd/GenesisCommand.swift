import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// `civicd genesis new|add-member|add-validator|validate`: build a genesis file by hand and check it.
struct GenesisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis",
        abstract: "Create, extend and validate a genesis file.",
        subcommands: [New.self, AddMember.self, AddValidator.self, Validate.self]
    )

    /// Reads a genesis being built (structure checked, rules not yet: it may still lack a validator).
    static func load(_ path: String) throws -> Genesis {
        try Genesis.parse(json: try FileInput.read(path), checkRules: false)
    }

    /// Writes the genesis back atomically, so an interrupted command never leaves half a file.
    static func save(_ genesis: Genesis, to path: String) throws {
        let text = genesis.json.serialized() + "\n"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(message: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a genesis file with no members yet.")

        @Option(name: .customLong("chain-id"), help: "Network name: 1-64 of a-z 0-9 . _ -")
        var chainID: String

        @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3.")
        var suite: CryptoSuiteID = .secp256k1SHA256

        @Option(help: "Genesis time, RFC 3339 UTC (default: now).")
        var time: String?

        @Option(name: .customLong("duplicate-subsidy"), help: "Duplicate subsidy claims: refuse or flag.")
        var duplicateSubsidy: String = "refuse"

        @Option(help: "Genesis file to create (never overwritten).")
        var out: String

        func run() throws {
            guard let chain = ChainID(chainID) else {
                throw InputError(message: "--chain-id must be \(ChainID.rules)")
            }
            guard let rule = DuplicateSubsidyRule(rawValue: duplicateSubsidy) else {
                throw InputError(message: "--duplicate-subsidy must be refuse or flag")
            }
            let seconds: UInt64
            if let time {
                guard let parsed = UTCTimestamp.parse(time) else {
                    throw InputError(message: "--time must look like 2026-11-24T00:00:00Z")
                }
                seconds = parsed
            } else {
                seconds = UInt64(Date().timeIntervalSince1970)
            }
            guard !FileManager.default.fileExists(atPath: out) else {
                throw InputError(message: "\(out) already exists")
            }
            let genesis = Genesis(
                chainID: chain,
                suite: suite,
                genesisTime: seconds,
                duplicateSubsidy: rule,
                members: []
            )
            try GenesisCommand.save(genesis, to: out)
            print("created \(out): chain \(chain), suite \(suite); add members next")
        }
    }

    struct AddMember: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-member",
            abstract: "Add a member organisation (use add-validator afterwards for a validating department)."
        )

        @Option(help: "Genesis file to extend.")
        var genesis: String

        @Option(help: "Organisation id: division code or unified social credit code.")
        var id: String

        @Option(help: "Organisation name.")
        var name: String

        @Option(help: "Comma-separated roles: registrar, payer, charity, auditor (validator comes with add-validator).")
        var roles: String

        @Option(name: .customLong("account-key"), help: "Account public key as hex (repeat for several).")
        var accountKeys: [String]

        func run() throws {
            var document = try GenesisCommand.load(genesis)
            guard let orgID = OrgID(id) else { throw InputError(message: "--id must be \(OrgID.rules)") }
            guard !document.members.contains(where: { $0.id == orgID }) else {
                throw InputError(message: "\(orgID) is already a member")
            }
            var parsedRoles: [Role] = []
            for text in roles.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let role = Role(rawValue: text), role != .validator else {
                    throw InputError(message: "unknown role '\(text)' (registrar, payer, charity, auditor)")
                }
                parsedRoles.append(role)
            }
            let keys = try accountKeys.map { text -> [UInt8] in
                try document.suite.suite.publicKey(hex: text).bytes
            }
            let member = Member(id: orgID, name: name, roles: RoleSet(parsedRoles), accountKeys: keys, validator: nil)
            if let problem = MemberValidation.problem(member, suite: document.suite.suite) {
                throw InputError(message: problem)
            }
            document.members.append(member)
            try GenesisCommand.save(document, to: genesis)
            print("added \(orgID) (\(member.roles)) to \(genesis)")
        }
    }

    struct AddValidator: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-validator",
            abstract: "Make an existing member a validator: its power, consensus key, TLS key pin and address."
        )

        @Option(help: "Genesis file to extend.")
        var genesis: String

        @Option(help: "Id of a member already in the file.")
        var id: String

        @Option(help: "Voting power (1 … 2^40).")
        var power: UInt64

        @Option(name: .customLong("consensus-key"), help: "Consensus public key as hex (civicd keys new).")
        var consensusKey: String

        @Option(
            name: .customLong("tls-key-pin"),
            help: "SHA-256 of the TLS key's DER SubjectPublicKeyInfo, hex (see Genesis/README.md)."
        )
        var tlsKeyPin: String

        @Option(help: "host:port of the node's peer-to-peer listener.")
        var address: String

        func run() throws {
            var document = try GenesisCommand.load(genesis)
            guard let index = document.members.firstIndex(where: { $0.id.value == id }) else {
                throw InputError(message: "no member \(id) in \(genesis); add-member first")
            }
            let key = try document.suite.suite.publicKey(hex: consensusKey).bytes
            guard let pin = Digest(hex: tlsKeyPin) else {
                throw InputError(message: "--tls-key-pin must be 64 hex characters")
            }
            let old = document.members[index]
            var roles = old.roles
            roles.insert(.validator)
            let member = Member(
                id: old.id,
                name: old.name,
                roles: roles,
                accountKeys: old.accountKeys,
                validator: ValidatorInfo(power: power, consensusKey: key, tlsKeyPin: pin, address: address)
            )
            if let problem = MemberValidation.problem(member, suite: document.suite.suite) {
                throw InputError(message: problem)
            }
            document.members[index] = member
            try GenesisCommand.save(document, to: genesis)
            print("\(old.id) is now a validator with power \(power)")
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a genesis file; print its hash and summary, or every problem with its JSON path."
        )

        @Argument(help: "The genesis file.")
        var file: String

        func run() throws {
            let bytes = try FileInput.read(file)
            let genesis: Genesis
            do {
                genesis = try Genesis.parse(json: bytes)
            } catch {
                throw CheckFailed(message: "\(file): \(error)")
            }
            let validators = genesis.members.compactMap(\.validator)
            print("genesis OK: \(file)")
            print("  chain id:    \(genesis.chainID)")
            print("  suite:       \(genesis.suite)")
            print("  time:        \(UTCTimestamp.format(genesis.genesisTime))")
            print(
                "  members:     \(genesis.members.count) (\(validators.count) validators, total power \(validators.map(\.power).reduce(0, +)))"
            )
            print("  hash:        \(genesis.hash.hex)")
        }
    }
}
