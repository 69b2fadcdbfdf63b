import ArgumentParser
import CivicCommandLine
import Foundation
import Hummingbird
import LedgerCore
import LedgerCrypto
import Logging
import NIOCore
import NIOPosix
import Node
import NodeAPI
import ServiceLifecycle

/// `civicd init --home DIR`: a node's keys, TLS certificate and config.toml.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a node's home: keys (0600), TLS certificate and config.toml.",
        discussion: """
            Prints what the network's genesis needs for this node: its consensus public key and TLS key pin
            (civicd genesis add-validator --consensus-key … --tls-key-pin …). Place the genesis file where
            config.toml's `genesis` points (genesis.json in the home by default), then run civicd start.
            """
    )

    @Option(help: "Directory to create the node's home in.")
    var home: String

    @Option(name: .customLong("node-id"), help: "This node's member id (as in the genesis file).")
    var nodeID: String

    @Option(help: "Crypto suite of the network: secp256k1-sha256 or sm2-sm3.")
    var suite: CryptoSuiteID = .secp256k1SHA256

    @Option(name: .customLong("p2p-listen"), help: "host:port for peer connections.")
    var p2pListen = "0.0.0.0:26656"

    @Option(name: .customLong("api-listen"), help: "host:port for the HTTP API and /metrics.")
    var apiListen = "127.0.0.1:8080"

    @Flag(help: "An observer node: no consensus key; it follows the chain and serves verifiers.")
    var observer = false

    func run() throws {
        guard let id = OrgID(nodeID) else { throw InputError(message: "--node-id \(nodeID) is not a member id") }
        let configuration = NodeConfiguration(
            nodeID: id,
            genesis: "genesis.json",
            p2pListen: p2pListen,
            apiListen: apiListen
        )
        let created = try reportingConfigurationErrors {
            try NodeHome.create(at: home, configuration: configuration, suite: suite, observer: observer)
        }
        print("created \(home)")
        if let key = created.consensusKey { print("consensus key: \(key.hex)") }
        print("tls key pin:   \(created.tls.keyPin.hex)")
        print("next: put the network's genesis at \(home)/genesis.json, then: civicd start --home \(home)")
    }
}

/// `civicd start --home DIR`: runs the node until SIGTERM or SIGINT.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run the node: storage, consensus, peers and the HTTP API, until SIGTERM or SIGINT."
    )

    @Option(help: "The node's home directory (civicd init).")
    var home: String

    func run() async throws {
        try await NodeRunner.run(home: home)
    }
}

/// Runs `body`, reporting a configuration problem (which names its file and field) as the input error
/// `civicd` exits 2 with.
func reportingConfigurationErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ConfigurationError { throw InputError(message: error.description) }
}

/// Starts a node from its home and runs it under a service group with graceful shutdown.
enum NodeRunner {
    static func run(home: String, announce: String? = nil) async throws {
        let loaded = try reportingConfigurationErrors { try NodeHome(home).load() }
        let settings = loaded.configuration
        LogSetup.bootstrap(format: settings.logFormat, level: settings.logLevel)
        let logger = Logger(label: "civic.node")
        guard let p2p = NodeConfiguration.split(settings.p2pListen),
            let api = NodeConfiguration.split(settings.apiListen)
        else { throw InputError(message: "\(home)/config.toml: bad listen address") }
        var configuration = LedgerNode.Configuration(
            node: settings.nodeID,
            dataDirectory: NodeHome(home).dataPath,
            consensusKey: loaded.consensusKey,
            tls: loaded.tls
        )
        configuration.rotatedTLS = {
            do { return try NodeHome(home).nextTLS() } catch {
                // Governance registered a key this home cannot present: peers will refuse the old one.
                logger.error("the waiting TLS key (tls-next) cannot be loaded", metadata: ["reason": "\(error)"])
                return nil
            }
        }
        configuration.onTLSRotated = {
            do {
                try NodeHome(home).promoteNextTLS()
                logger.notice("TLS key rotated by governance: the new key is now current in the home")
            } catch {
                logger.error("could not make the rotated TLS key current", metadata: ["reason": "\(error)"])
            }
        }
        configuration.listenHost = p2p.host
        configuration.listenPort = p2p.port
        configuration.peerAddresses = settings.peers
        configuration.blockIntervalMilliseconds = settings.blockIntervalMilliseconds
        configuration.signingJournal = settings.signingJournal
        configuration.mempoolLimits.maximumTransactions = settings.mempoolTransactions
        configuration.mempoolLimits.maximumBytes = settings.mempoolBytes
        configuration.mempoolLimits.maximumPerSender = settings.mempoolPerSender
        configuration.treeCacheNodes = settings.treeCacheNodes
        let node = try await LedgerNode.start(
            genesis: loaded.genesis,
            configuration: configuration,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        let application = NodeAPI.application(
            node: node,
            address: .hostname(api.host, port: api.port),
            limits: settings.apiRateLimit == 0
                ? nil
                : RateLimiter.Limits(rate: Double(settings.apiRateLimit), burst: Double(settings.apiRateBurst)),
            transactionLimits: settings.apiTransactionRateLimit == 0
                ? nil
                : RateLimiter.Limits(
                    rate: Double(settings.apiTransactionRateLimit),
                    burst: Double(settings.apiTransactionRateBurst)
                ),
            http: HTTPLimits(settings),
            trustedProxies: settings.apiTrustedProxies,
            onServerRunning: { _ in
                logger.info(
                    "node running",
                    metadata: [
                        "node": "\(settings.nodeID)", "chain": "\(loaded.genesis.chainID)",
                        "p2p": "\(settings.p2pListen)", "api": "http://\(settings.apiListen)",
                        "height": "\(node.consensus.committedHeight())",
                    ]
                )
                if let announce { print(announce) }
            },
            logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: NodeService(node: node)),
            .init(service: application),
        ]
        if let path = ProcessInfo.processInfo.environment[LinkFaultSwitch.variable] {
            services.append(.init(service: LinkFaultSwitch(path: path, node: node, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// The ledger node as a service: runs until graceful shutdown, then closes consensus, peers and the store
/// in order (the WAL and the signing guard are durable after every step).
struct NodeService: Service {
    let node: LedgerNode

    func run() async throws {
        // try?: the only error is the cancellation that starts the shutdown.
        try? await gracefulShutdown()
        try await node.shutdown()
    }
}

/// Text or JSON log lines on standard error.
enum LogSetup {
    static func bootstrap(format: NodeConfiguration.LogFormat, level: String) {
        let parsed = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
    }
}

/// One JSON object per line: time, level, label, message and metadata.
struct JSONLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = [
            JSONMember("time", .string(UTCTimestamp.format(UInt64(Date().timeIntervalSince1970)))),
            JSONMember("level", .string(event.level.rawValue)),
            JSONMember("label", .string(label)),
            JSONMember("message", .string("\(event.message)")),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append(JSONMember(key, .string("\(value)")))
        }
        FileHandle.standardError.write(Data((JSONValue.object(fields).serialized(pretty: false) + "\n").utf8))
    }
}
