import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Node

/// `civicd testnet`: everything a local network of N departments needs, on loopback with free ports.
struct TestnetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testnet",
        abstract: "Create a local test network: genesis, node homes and member account keys.",
        discussion: """
            Writes DIR/genesis.json, node homes DIR/node0 … DIR/node{N-1} (each with config.toml listening on
            127.0.0.1), and account keys DIR/accounts/<name>.key: one per department (roles registrar and
            payer; its node is a validator) and one charity. Start each node with civicd start --home DIR/nodeI.
            """
    )

    @Option(help: "Number of validator departments (1-16).")
    var validators: Int = 4

    @Option(help: "Directory to create (must not exist or be empty).")
    var dir: String

    @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3.")
    var suite: CryptoSuiteID = .secp256k1SHA256

    @Option(name: .customLong("block-interval-ms"), help: "Least time between blocks.")
    var blockInterval: Int64 = 250

    func run() throws {
        guard (1...16).contains(validators) else { throw InputError(message: "--validators must be 1 to 16") }
        // try?: a directory that does not exist yet is empty; one that cannot be read fails at creation below.
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        guard existing.isEmpty else { throw InputError(message: "\(dir) is not empty; nothing was changed") }
        let network = try LocalNetworkLayout.create(
            in: dir,
            departments: validators,
            suite: suite,
            blockInterval: blockInterval
        )
        print("created a \(validators)-validator network \"\(network.genesis.chainID)\" (\(suite.rawValue)) in \(dir)")
        for node in network.nodes {
            print("  \(node.home): \(node.member) p2p \(node.p2p), api http://\(node.api)")
        }
        print("  accounts: \(network.accounts.map { "\(dir)/accounts/\($0).key" }.joined(separator: ", "))")
        print("start each node: civicd start --home \(dir)/node0   (… node\(validators - 1))")
    }
}

/// The files of a local network (`civicd testnet`, `civicd dev`).
enum LocalNetworkLayout {
    struct NodeEntry {
        let home: String
        let member: OrgID
        let p2p: String
        let api: String
    }

    struct Created {
        let genesis: Genesis
        let nodes: [NodeEntry]
        let accounts: [String]
    }

    /// Department names and division codes for the first validators; later ones are numbered.
    static let departments: [(name: String, id: String, title: String)] = [
        ("beijing", "110000", "Beijing Civil Affairs Bureau"),
        ("shanghai", "310000", "Shanghai Civil Affairs Bureau"),
        ("guangdong", "440000", "Guangdong Civil Affairs Department"),
        ("sichuan", "510000", "Sichuan Civil Affairs Department"),
        ("zhejiang", "330000", "Zhejiang Civil Affairs Department"),
        ("jiangsu", "320000", "Jiangsu Civil Affairs Department"),
        ("hubei", "420000", "Hubei Civil Affairs Department"),
    ]

    static func department(_ index: Int) -> (name: String, id: String, title: String) {
        index < departments.count ? departments[index] : ("dept\(index)", "DEPT-\(index)", "Department \(index)")
    }

    static func create(
        in directory: String,
        departments count: Int,
        suite: CryptoSuiteID,
        blockInterval: Int64,
        extraRoles: [Role] = [],
        charity: Bool = true
    ) throws -> Created {
        try FileManager.default.createDirectory(
            atPath: directory + "/accounts",
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        var members: [Member] = []
        var nodes: [NodeEntry] = []
        var accounts: [String] = []
        let ports = try FreePorts.take(2 * count)
        for index in 0..<count {
            let department = department(index)
            guard let id = OrgID(department.id) else { throw InputError(message: "bad member id \(department.id)") }
            let home = "\(directory)/node\(index)"
            var configuration = NodeConfiguration(
                nodeID: id,
                genesis: "../genesis.json",
                p2pListen: "127.0.0.1:\(ports[2 * index])",
                apiListen: "127.0.0.1:\(ports[2 * index + 1])"
            )
            configuration.blockIntervalMilliseconds = blockInterval
            let created: NodeHome.Created
            do { created = try NodeHome.create(at: home, configuration: configuration, suite: suite) } catch let error
                as ConfigurationError
            {
                throw InputError(message: error.description)
            }
            guard let consensusKey = created.consensusKey else { continue }
            let account = try suite.suite.generatePrivateKey()
            try KeyFile.write(account, to: "\(directory)/accounts/\(department.name).key")
            accounts.append(department.name)
            members.append(
                Member(
                    id: id,
                    name: department.title,
                    roles: RoleSet([.validator, .registrar, .payer] + extraRoles),
                    accountKeys: [account.publicKey.bytes],
                    validator: ValidatorInfo(
                        power: 10,
                        consensusKey: consensusKey.bytes,
                        tlsKeyPin: created.tls.keyPin,
                        address: configuration.p2pListen
                    )
                )
            )
            nodes.append(NodeEntry(home: home, member: id, p2p: configuration.p2pListen, api: configuration.apiListen))
        }
        if charity, let charityID = OrgID("53100000500021676K") {
            let account = try suite.suite.generatePrivateKey()
            try KeyFile.write(account, to: "\(directory)/accounts/charity.key")
            accounts.append("charity")
            members.append(
                Member(
                    id: charityID,
                    name: "Example Charity Foundation",
                    roles: RoleSet([.charity]),
                    accountKeys: [account.publicKey.bytes],
                    validator: nil
                )
            )
        }
        guard let chain = ChainID("civic-local") else { throw InputError(message: "bad chain id") }
        let genesis = Genesis(
            chainID: chain,
            suite: suite,
            genesisTime: UInt64(Date().timeIntervalSince1970),
            members: members
        )
        if let problem = genesis.problems.first {
            throw InputError(message: "the generated genesis is not valid: \(problem)")
        }
        try Data((genesis.json.serialized() + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/genesis.json"))
        return Created(genesis: genesis, nodes: nodes, accounts: accounts)
    }
}
