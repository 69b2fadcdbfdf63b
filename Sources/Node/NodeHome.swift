import Foundation
import LedgerCore
import LedgerCrypto

/// A node's home directory (`docs/node.md`, "Home directory"):
///
///     config.toml            settings (NodeConfiguration)
///     keys/consensus.key     the validator's consensus key (0600; absent on an observer)
///     keys/tls.key           the TLS private key, PEM (0600)
///     keys/tls.crt           its self-signed certificate, PEM (renewable with the same key)
///     data/                  ledger/ (RocksDB), wal/, signing-guard
public struct NodeHome: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var configPath: String { path + "/config.toml" }
    public var consensusKeyPath: String { path + "/keys/consensus.key" }
    public var tlsKeyPath: String { path + "/keys/tls.key" }
    public var tlsCertificatePath: String { path + "/keys/tls.crt" }
    public var dataPath: String { path + "/data" }

    /// What a new home offers its operator for the genesis file.
    public struct Created: Sendable {
        public let consensusKey: PublicKey?
        public let tls: TLSIdentity
    }

    /// Creates a home: a consensus key (unless `observer`), a TLS key and certificate, and `config.toml`.
    /// Refuses a directory that already holds a configuration, so nothing is ever overwritten.
    @discardableResult
    public static func create(
        at path: String,
        configuration: NodeConfiguration,
        suite: CryptoSuiteID,
        observer: Bool = false
    ) throws -> Created {
        let home = NodeHome(path)
        guard !FileManager.default.fileExists(atPath: home.configPath) else {
            throw ConfigurationError(line: nil, field: nil, "\(home.configPath) already exists; nothing was changed")
        }
        try FileManager.default.createDirectory(
            atPath: path + "/keys",
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        var consensus: PublicKey?
        if !observer {
            let key = try suite.suite.generatePrivateKey()
            try KeyFile.write(key, to: home.consensusKeyPath)
            consensus = key.publicKey
        }
        let tls = try TLSIdentity.generate(commonName: "CivicLedger node \(configuration.nodeID)")
        try KeyFile.writeSecret(Array(tls.privateKeyPEM.utf8), to: home.tlsKeyPath)
        try Data(tls.certificatePEM.utf8).write(to: URL(fileURLWithPath: home.tlsCertificatePath))
        try Data(configuration.toml.utf8).write(to: URL(fileURLWithPath: home.configPath))
        return Created(consensusKey: consensus, tls: tls)
    }

    /// Everything `civicd start` needs, checked: each problem names its file and field.
    public struct Loaded: Sendable {
        public let configuration: NodeConfiguration
        public let genesis: Genesis
        public let consensusKey: PrivateKey?
        public let tls: TLSIdentity
    }

    public func load() throws -> Loaded {
        guard let text = FileManager.default.contents(atPath: configPath) else {
            throw ConfigurationError(line: nil, field: nil, "\(configPath): no such file (run civicd init first)")
        }
        let configuration: NodeConfiguration
        do { configuration = try NodeConfiguration.parse(String(decoding: text, as: UTF8.self)) } catch {
            throw ConfigurationError(line: nil, field: nil, "\(configPath): \(error.description)")
        }
        let genesisPath =
            configuration.genesis.hasPrefix("/") ? configuration.genesis : path + "/" + configuration.genesis
        guard let genesisBytes = FileManager.default.contents(atPath: genesisPath) else {
            throw ConfigurationError(line: nil, field: nil, "genesis \(genesisPath): no such file")
        }
        let genesis: Genesis
        do { genesis = try Genesis.parse(json: Array(genesisBytes)) } catch {
            throw ConfigurationError(line: nil, field: nil, "\(genesisPath): \(error)")
        }
        guard genesis.members.contains(where: { $0.id == configuration.nodeID }) else {
            throw ConfigurationError(
                line: nil,
                field: "node_id",
                "\(configuration.nodeID) is not a member in \(genesisPath)"
            )
        }
        let consensusKey =
            FileManager.default.fileExists(atPath: consensusKeyPath) ? try KeyFile.read(from: consensusKeyPath) : nil
        if let consensusKey, consensusKey.suite != genesis.suite {
            throw ConfigurationError(
                line: nil,
                field: nil,
                "\(consensusKeyPath) is a \(consensusKey.suite.rawValue) key; the network uses \(genesis.suite.rawValue)"
            )
        }
        let tlsKey = String(decoding: try KeyFile.readSecret(from: tlsKeyPath), as: UTF8.self)
        guard let certificate = FileManager.default.contents(atPath: tlsCertificatePath) else {
            throw ConfigurationError(line: nil, field: nil, "\(tlsCertificatePath): no such file")
        }
        let tls = try TLSIdentity(certificatePEM: String(decoding: certificate, as: UTF8.self), privateKeyPEM: tlsKey)
        return Loaded(configuration: configuration, genesis: genesis, consensusKey: consensusKey, tls: tls)
    }
}
