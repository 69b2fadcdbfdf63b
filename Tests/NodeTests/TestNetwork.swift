import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Logging
import NIOCore
import NIOPosix
import Node
import P2P

/// A network of `LedgerNode`s in this process on 127.0.0.1: real TLS, real RocksDB, real timers.
final class TestNetwork {
    let names: [String]
    let genesis: Genesis
    let suite: any CryptoSuite
    let identities: [TLSIdentity]
    let ports: [Int]
    let directory = TemporaryDirectory("civic-net")
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    var nodes: [LedgerNode?]
    /// Account keys by member name: each department may anchor certificates.
    let accounts: [String: PrivateKey]
    /// The member records governance would admit for the outsiders.
    private(set) var outsiderMembers: [Member] = []

    /// `validators` members in genesis, and `outsiders` more nodes (keys, ports, TLS) that governance may
    /// admit later.
    init(validators: Int, outsiders: Int = 0, suite: CryptoSuiteID = .secp256k1SHA256) throws {
        names = (0..<validators + outsiders).map { "DEPT-\($0)" }
        self.suite = suite.suite
        identities = try names.map { try TLSIdentity.generate(commonName: $0) }
        ports = try FreePorts.take(names.count)
        var accounts: [String: PrivateKey] = [:]
        var members: [Member] = []
        var outsiderMembers: [Member] = []
        for (index, name) in names.enumerated() {
            let account = LedgerFixture.key("account " + name, suite: suite.suite)
            accounts[name] = account
            let member = Member(
                id: OrgID(name)!,
                name: "Department \(index)",
                roles: RoleSet([.validator, .registrar, .payer]),
                accountKeys: [account.publicKey.bytes],
                validator: ValidatorInfo(
                    power: 10,
                    consensusKey: LedgerFixture.key("consensus " + name, suite: suite.suite).publicKey.bytes,
                    tlsKeyPin: identities[index].keyPin,
                    address: "127.0.0.1:\(ports[index])"
                )
            )
            if index < validators { members.append(member) } else { outsiderMembers.append(member) }
        }
        var consensus = ConsensusParameters()
        consensus.timeoutProposeMs = 1_000
        consensus.timeoutPrevoteMs = 500
        consensus.timeoutPrecommitMs = 500
        genesis = Genesis(
            chainID: ChainID("civic-local")!,
            suite: suite,
            genesisTime: 1_795_000_000,
            consensus: consensus,
            members: members
        )
        self.accounts = accounts
        self.outsiderMembers = outsiderMembers
        nodes = Array(repeating: nil, count: validators + outsiders)
    }

    func start(_ index: Int) async throws {
        var configuration = LedgerNode.Configuration(
            node: OrgID(names[index])!,
            dataDirectory: directory.path + "/" + names[index],
            consensusKey: LedgerFixture.key("consensus " + names[index], suite: suite),
            tls: identities[index]
        )
        configuration.listenPort = ports[index]
        nodes[index] = try await LedgerNode.start(
            genesis: genesis,
            configuration: configuration,
            group: group,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    func stop(_ index: Int) async throws {
        try await nodes[index]?.shutdown()
        nodes[index] = nil
    }

    func startAll() async throws { for index in names.indices { try await start(index) } }
    func stopAll() async throws { for index in names.indices { try await stop(index) } }

    /// Certificate anchors from `name`'s account, with sequences from `first`.
    func anchors(
        _ count: Int,
        from name: String,
        first: UInt64 = 0,
        label: String = "cert"
    ) throws -> [SignedTransaction] {
        let key = accounts[name]!
        return try (0..<count).map { index in
            let transaction = Transaction(
                chainID: genesis.chainID,
                sender: key.publicKey.bytes,
                sequence: first + UInt64(index),
                payload: Payloads.anchor("\(label)-\(name)-\(index)", issuer: OrgID(name)!)
            )
            return try SignedTransaction(signing: transaction, with: key, for: genesis.network)
        }
    }

    /// One signed transaction from `name`'s account.
    func transaction(_ payload: TransactionPayload, from name: String, sequence: UInt64) throws -> SignedTransaction {
        let key = accounts[name]!
        let transaction = Transaction(
            chainID: genesis.chainID,
            sender: key.publicKey.bytes,
            sequence: sequence,
            payload: payload
        )
        return try SignedTransaction(signing: transaction, with: key, for: genesis.network)
    }

    func height(_ index: Int) -> UInt64 { (try? nodes[index]?.store.committedHeight()) ?? 0 }

    func ids(_ transactions: [SignedTransaction]) -> [Digest] {
        transactions.map { $0.id(hash: genesis.suite.suite.hashFunction) }
    }

    /// How many of `ids` the running nodes `indices` hold, counted once per node.
    func committedCount(_ ids: [Digest], on indices: [Int]) -> Int {
        indices.reduce(0) { count, index in
            count + ids.count { (try? nodes[index]?.store.transactionLocation($0)) != nil }
        }
    }

    func allCommitted(_ ids: [Digest], on indices: [Int]) -> Bool {
        committedCount(ids, on: indices) == ids.count * indices.count
    }

    /// Waits until the nodes `indices` hold every one of `transactions`, for as long as more of them commit.
    func commit(_ transactions: [SignedTransaction], on indices: [Int]) async -> Bool {
        let ids = ids(transactions)
        return await eventually(progress: { self.committedCount(ids, on: indices) }) {
            self.allCommitted(ids, on: indices)
        }
    }

    /// Waits until node `index` is at `target` or above, for as long as its height moves.
    func reach(_ index: Int, _ target: UInt64) async -> Bool {
        await eventually(progress: { min(self.height(index), target) }) { self.height(index) >= target }
    }
}
