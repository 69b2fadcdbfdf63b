import Foundation
import LedgerCore
import LedgerCrypto

/// A node's home directory (`docs/node.md`, "Home directory"):
///
///     config.toml            settings (NodeConfiguration)
///     keys/consensus.key     the validator's consensus key (0600; absent on an observer)
///     keys/tls.key           the TLS private key, PEM (0600)
///     keys/tls.crt           its self-signed certificate, PEM (renewable with the same key)
///     keys/tls-next.key/.crt a rotated TLS key waiting for governance to register its pin (civicd tls rotate)
///     data/                  ledger/ (RocksDB), wal/, signing-guard
public struct NodeHome: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var configPath: String { path + "/config.toml" }
    public var consensusKeyPath: String { path + "/keys/consensus.key" }
    public var tlsKeyPath: String { path + "/keys/tls.key" }
    public var tlsCertificatePath: String { path + "/keys/tls.crt" }
    public var nextTLSKeyPath: String { path + "/keys/tls-next.key" }
    public var nextTLSCertificatePath: String { path + "/keys/tls-next.crt" }
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
        // A node admitted by governance is not in genesis: `LedgerNode` says so at start and peers accept it
        // once the registry holds it.
        let consensusKey =
            FileManager.default.fileExists(atPath: consensusKeyPath) ? try KeyFile.read(from: consensusKeyPath) : nil
        if let consensusKey, consensusKey.suite != genesis.suite {
            throw ConfigurationError(
                line: nil,
                field: nil,
                "\(consensusKeyPath) is a \(consensusKey.suite.rawValue) key; the network uses \(genesis.suite.rawValue)"
            )
        }
        let manager = FileManager.default
        // A promotion interrupted after moving the key: finish it (see `promoteNextTLS`).
        if manager.fileExists(atPath: nextTLSCertificatePath), !manager.fileExists(atPath: nextTLSKeyPath) {
            try Self.rename(nextTLSCertificatePath, to: tlsCertificatePath)
        }
        let tls = try tlsIdentity(key: tlsKeyPath, certificate: tlsCertificatePath)
        return Loaded(configuration: configuration, genesis: genesis, consensusKey: consensusKey, tls: tls)
    }

    /// The rotated TLS key waiting for governance (`civicd tls rotate`), if there is one. A key without its
    /// certificate is a rotation interrupted before its pin was shown: not used.
    public func nextTLS() throws -> TLSIdentity? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: nextTLSKeyPath), manager.fileExists(atPath: nextTLSCertificatePath) else {
            return nil
        }
        return try tlsIdentity(key: nextTLSKeyPath, certificate: nextTLSCertificatePath)
    }

    private func tlsIdentity(key keyPath: String, certificate certificatePath: String) throws -> TLSIdentity {
        let key = String(decoding: try KeyFile.readSecret(from: keyPath), as: UTF8.self)
        guard let certificate = FileManager.default.contents(atPath: certificatePath) else {
            throw ConfigurationError(line: nil, field: nil, "\(certificatePath): no such file")
        }
        do {
            return try TLSIdentity(certificatePEM: String(decoding: certificate, as: UTF8.self), privateKeyPEM: key)
        } catch {
            throw ConfigurationError(line: nil, field: nil, "\(keyPath): \(error)")
        }
    }

    // MARK: - TLS certificate renewal and key rotation (docs/node.md, "TLS keys")

    /// Replaces the certificate with a fresh one over the same key: the pin, and so every peer's trust, stays.
    /// The node presents it from its next start.
    @discardableResult
    public func renewTLSCertificate(nodeID: OrgID, validityDays: Int32) throws -> TLSIdentity {
        let current = try tlsIdentity(key: tlsKeyPath, certificate: tlsCertificatePath)
        let renewed = try current.renewed(commonName: "CivicLedger node \(nodeID)", validityDays: validityDays)
        try Self.replace(tlsCertificatePath, with: Array(renewed.certificatePEM.utf8))
        return renewed
    }

    /// Makes a new TLS key and certificate beside the current ones, for governance to register. Refuses when
    /// one is already waiting, so a pin already handed to governance is never lost. Key first, then the
    /// certificate: only a complete pair counts as waiting.
    @discardableResult
    public func prepareTLSRotation(nodeID: OrgID) throws -> TLSIdentity {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: nextTLSCertificatePath) else {
            throw ConfigurationError(
                line: nil,
                field: nil,
                "\(nextTLSKeyPath) already exists: a rotation is waiting for governance; nothing was changed"
            )
        }
        if manager.fileExists(atPath: nextTLSKeyPath) { try manager.removeItem(atPath: nextTLSKeyPath) }
        let next = try TLSIdentity.generate(commonName: "CivicLedger node \(nodeID)")
        try KeyFile.writeSecret(Array(next.privateKeyPEM.utf8), to: nextTLSKeyPath)
        try Self.replace(nextTLSCertificatePath, with: Array(next.certificatePEM.utf8))
        return next
    }

    /// Makes the waiting rotated key the current one (once governance registered its pin): the key, then the
    /// certificate, each renamed over the old; `load` finishes a promotion interrupted in between.
    public func promoteNextTLS() throws {
        guard FileManager.default.fileExists(atPath: nextTLSCertificatePath) else { return }
        try Self.rename(nextTLSKeyPath, to: tlsKeyPath)
        try Self.rename(nextTLSCertificatePath, to: tlsCertificatePath)
    }

    private static func rename(_ from: String, to path: String) throws {
        guard Foundation.rename(from, path) == 0 else {
            throw ConfigurationError(line: nil, field: nil, "cannot rename \(from) to \(path) (errno \(errno))")
        }
    }

    /// Writes a file whole: to a temporary name, then renamed over the old one.
    private static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        try rename(temporary, to: path)
    }
}
