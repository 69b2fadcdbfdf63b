import LedgerCore

/// A node's `config.toml` (`docs/node.md`, "Configuration"), checked field by field: every problem names
/// the field and the line, and unknown fields are refused so a typo cannot silently drop a setting.
public struct NodeConfiguration: Sendable, Equatable {
    public enum LogFormat: String, Sendable { case text, json }

    public var nodeID: OrgID
    /// The genesis file, relative to the node's home unless absolute.
    public var genesis: String
    public var p2pListen: String
    /// `id@host:port` entries overriding the registered addresses of those nodes.
    public var peers: [OrgID: String] = [:]
    public var apiListen: String
    /// Requests per second each API client may make on average (0: no limit), and how many at once.
    public var apiRateLimit: Int64 = 500
    public var apiRateBurst: Int64 = 1_000
    /// Transactions per second each API client may submit on average (0: no transaction quota), and how many
    /// at once; a batch counts as its transactions.
    public var apiTransactionRateLimit: Int64 = 2_000
    public var apiTransactionRateBurst: Int64 = 10_000
    /// HTTP limits of the API (`docs/api.md`, "Limits"): idle (and request-head) timeout, whole-body timeout,
    /// open connections in all and per client address, and request-body bytes held at once.
    public var apiIdleTimeoutSeconds: Int64 = 30
    public var apiBodyTimeoutSeconds: Int64 = 60
    public var apiMaximumConnections: Int64 = 1_024
    public var apiMaximumConnectionsPerClient: Int64 = 32
    public var apiBodyMemoryBytes: Int64 = 128 << 20
    /// Reverse proxies whose `X-Forwarded-For` names the client the rate limit counts (none: the header is
    /// ignored, every request counts against its connection's address).
    public var apiTrustedProxies: [IPAddressRange] = []
    public var blockIntervalMilliseconds: Int64 = 250
    /// Append every signature the consensus key releases to `data/signing-journal` (an audit trail).
    public var signingJournal = false
    public var logFormat = LogFormat.text
    public var logLevel = "info"
    public var mempoolTransactions = 100_000
    public var mempoolBytes = 128 << 20
    public var mempoolPerSender = 20_000
    /// State-tree nodes the store keeps in memory per cache generation (two generations; 2^20 nodes take
    /// 288 MiB when full: docs/node.md).
    public var treeCacheNodes = 1 << 20

    public init(nodeID: OrgID, genesis: String, p2pListen: String, apiListen: String) {
        self.nodeID = nodeID
        self.genesis = genesis
        self.p2pListen = p2pListen
        self.apiListen = apiListen
    }

    static let fields: Set<String> = [
        "node_id", "genesis", "p2p.listen", "p2p.peers", "api.listen", "api.rate_limit", "api.rate_burst",
        "api.tx_rate_limit", "api.tx_rate_burst", "api.trusted_proxies",
        "api.idle_timeout_s", "api.body_timeout_s", "api.max_connections", "api.max_connections_per_client",
        "api.body_memory_bytes",
        "consensus.block_interval_ms", "consensus.signing_journal", "log.format",
        "log.level", "mempool.max_transactions", "mempool.max_bytes", "mempool.max_per_sender",
        "storage.tree_cache_nodes",
    ]

    public static func parse(_ text: String) throws(ConfigurationError) -> NodeConfiguration {
        let values = try TOMLSubset.parse(text)
        for (field, entry) in values where !fields.contains(field) {
            throw ConfigurationError(line: entry.line, field: field, "unknown field")
        }
        func string(_ field: String) throws(ConfigurationError) -> String? {
            guard let entry = values[field] else { return nil }
            guard case .string(let text) = entry.value else {
                throw ConfigurationError(line: entry.line, field: field, "expected a string")
            }
            return text
        }
        func required(_ field: String) throws(ConfigurationError) -> String {
            guard let text = try string(field) else { throw ConfigurationError(line: nil, field: field, "is missing") }
            return text
        }
        func integer(_ field: String, _ range: ClosedRange<Int64>) throws(ConfigurationError) -> Int64? {
            guard let entry = values[field] else { return nil }
            guard case .integer(let value) = entry.value, range.contains(value) else {
                throw ConfigurationError(
                    line: entry.line,
                    field: field,
                    "expected a number from \(range.lowerBound) to \(range.upperBound)"
                )
            }
            return value
        }
        func address(_ field: String) throws(ConfigurationError) -> String {
            let text = try required(field)
            guard isHostPort(text) else {
                throw ConfigurationError(
                    line: values[field]?.line,
                    field: field,
                    "expected host:port, e.g. 127.0.0.1:26656"
                )
            }
            return text
        }
        let idText = try required("node_id")
        guard let id = OrgID(idText) else {
            throw ConfigurationError(
                line: values["node_id"]?.line,
                field: "node_id",
                "\"\(idText)\" is not a member id"
            )
        }
        var configuration = NodeConfiguration(
            nodeID: id,
            genesis: try required("genesis"),
            p2pListen: try address("p2p.listen"),
            apiListen: try address("api.listen")
        )
        if let entry = values["p2p.peers"] {
            guard case .strings(let items) = entry.value else {
                throw ConfigurationError(line: entry.line, field: "p2p.peers", "expected [\"id@host:port\", …]")
            }
            for item in items {
                let parts = item.split(separator: "@", maxSplits: 1).map(String.init)
                guard parts.count == 2, let peer = OrgID(parts[0]), isHostPort(parts[1]) else {
                    throw ConfigurationError(line: entry.line, field: "p2p.peers", "\"\(item)\" is not id@host:port")
                }
                configuration.peers[peer] = parts[1]
            }
        }
        if let value = try integer("api.rate_limit", 0...1_000_000) { configuration.apiRateLimit = value }
        if let value = try integer("api.rate_burst", 1...1_000_000) { configuration.apiRateBurst = value }
        if let value = try integer("api.tx_rate_limit", 0...10_000_000) {
            configuration.apiTransactionRateLimit = value
        }
        if let value = try integer("api.tx_rate_burst", 1...10_000_000) {
            configuration.apiTransactionRateBurst = value
        }
        if let value = try integer("api.idle_timeout_s", 1...3_600) { configuration.apiIdleTimeoutSeconds = value }
        if let value = try integer("api.body_timeout_s", 1...3_600) { configuration.apiBodyTimeoutSeconds = value }
        if let value = try integer("api.max_connections", 1...100_000) { configuration.apiMaximumConnections = value }
        if let value = try integer("api.max_connections_per_client", 1...100_000) {
            configuration.apiMaximumConnectionsPerClient = value
        }
        // At least four maximal batch bodies: one client may hold a quarter of it (`BodyBudget`).
        if let value = try integer("api.body_memory_bytes", (64 << 20)...(64 << 30)) {
            configuration.apiBodyMemoryBytes = value
        }
        if let entry = values["api.trusted_proxies"] {
            guard case .strings(let items) = entry.value else {
                throw ConfigurationError(
                    line: entry.line,
                    field: "api.trusted_proxies",
                    "expected [\"address or range\", …], e.g. [\"10.0.0.5\", \"192.168.0.0/16\"]"
                )
            }
            configuration.apiTrustedProxies = try items.map { item throws(ConfigurationError) in
                guard let range = IPAddressRange(item) else {
                    throw ConfigurationError(
                        line: entry.line,
                        field: "api.trusted_proxies",
                        "\"\(item)\" is not an IP address or CIDR range (write ranges with their first address)"
                    )
                }
                return range
            }
        }
        if let value = try integer("consensus.block_interval_ms", 0...60_000) {
            configuration.blockIntervalMilliseconds = value
        }
        if let entry = values["consensus.signing_journal"] {
            guard case .bool(let value) = entry.value else {
                throw ConfigurationError(line: entry.line, field: "consensus.signing_journal", "expected true or false")
            }
            configuration.signingJournal = value
        }
        if let format = try string("log.format") {
            guard let parsed = LogFormat(rawValue: format) else {
                throw ConfigurationError(
                    line: values["log.format"]?.line,
                    field: "log.format",
                    "expected \"text\" or \"json\""
                )
            }
            configuration.logFormat = parsed
        }
        if let level = try string("log.level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level) else {
                throw ConfigurationError(
                    line: values["log.level"]?.line,
                    field: "log.level",
                    "expected one of \(levels.joined(separator: ", "))"
                )
            }
            configuration.logLevel = level
        }
        if let value = try integer("mempool.max_transactions", 1...10_000_000) {
            configuration.mempoolTransactions = Int(value)
        }
        if let value = try integer("mempool.max_bytes", 1 << 20...(16 << 30)) {
            configuration.mempoolBytes = Int(value)
        }
        if let value = try integer("mempool.max_per_sender", 1...10_000_000) {
            configuration.mempoolPerSender = Int(value)
        }
        if let value = try integer("storage.tree_cache_nodes", 1_024...(1 << 26)) {
            configuration.treeCacheNodes = Int(value)
        }
        return configuration
    }

    /// The file `civicd init` and `civicd testnet` write.
    public var toml: String {
        let peerList = peers.sorted { $0.key < $1.key }.map { TOMLSubset.quoted("\($0.key)@\($0.value)") }
            .joined(separator: ", ")
        return """
            # CivicLedger node configuration (docs/node.md, "Configuration").
            node_id = \(TOMLSubset.quoted(nodeID.value))
            # The network's genesis file, relative to this directory.
            genesis = \(TOMLSubset.quoted(genesis))

            [p2p]
            # Where other member nodes connect (mutual TLS; keys/tls.crt and keys/tls.key).
            listen = \(TOMLSubset.quoted(p2pListen))
            # Addresses that override the ones registered in genesis: "id@host:port".
            peers = [\(peerList)]

            [api]
            # The HTTP API and /metrics. Read endpoints are public; keep it on a trusted network.
            listen = \(TOMLSubset.quoted(apiListen))
            # Requests per second each client may make (0: no limit), and how many at once; beyond: 429.
            rate_limit = \(apiRateLimit)
            rate_burst = \(apiRateBurst)
            # Transactions per second each client may submit (0: no quota), and how many at once; a batch
            # counts as its transactions. A batch larger than tx_rate_burst is always refused.
            tx_rate_limit = \(apiTransactionRateLimit)
            tx_rate_burst = \(apiTransactionRateBurst)
            # Close a connection silent this long (also the time a request head may take), and give a whole
            # request body this long to arrive.
            idle_timeout_s = \(apiIdleTimeoutSeconds)
            body_timeout_s = \(apiBodyTimeoutSeconds)
            # Open connections in all, and from one client: an IPv4 address or an IPv6 /64
            # (trusted proxies exempt).
            max_connections = \(apiMaximumConnections)
            max_connections_per_client = \(apiMaximumConnectionsPerClient)
            # Request-body bytes held at once (one client: a quarter); beyond, 503 busy.
            body_memory_bytes = \(apiBodyMemoryBytes)
            # Reverse proxies in front of this API ("10.0.0.5", "192.168.0.0/16"): their X-Forwarded-For names
            # the client the rate limit counts. Leave empty when clients connect directly.
            trusted_proxies = [\(apiTrustedProxies.map { TOMLSubset.quoted($0.description) }.joined(separator: ", "))]

            [consensus]
            # Least time between blocks, so transactions gather into blocks.
            block_interval_ms = \(blockIntervalMilliseconds)
            # Append every vote and proposal this node's key signs to data/signing-journal (an audit trail).
            signing_journal = \(signingJournal)

            [log]
            format = \(TOMLSubset.quoted(logFormat.rawValue))
            level = \(TOMLSubset.quoted(logLevel))

            [mempool]
            max_transactions = \(mempoolTransactions)
            max_bytes = \(mempoolBytes)
            max_per_sender = \(mempoolPerSender)

            [storage]
            # State-tree nodes kept in memory in each of the cache's two generations: 144 bytes a node, in a
            # dictionary with the next power of two at or above 4/3 as many buckets (2^20 nodes: 288 MiB full).
            tree_cache_nodes = \(treeCacheNodes)

            """
    }

    /// `host:port` split, for binding.
    public static func split(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65_535).contains(port)
        else { return nil }
        let host = String(address[..<colon])
        // A name or an IPv4 address, or an IPv6 address in brackets: nothing a config file must quote.
        let allowed = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array("[]:.-_".utf8).contains(byte)
        }
        guard !host.isEmpty, host.utf8.count <= 255, host.utf8.allSatisfy(allowed) else { return nil }
        return (host, port)
    }

    private static func isHostPort(_ text: String) -> Bool { split(text) != nil }
}
