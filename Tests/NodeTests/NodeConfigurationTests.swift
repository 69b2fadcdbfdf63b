import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Node
import Testing

/// `config.toml` and the node home: what is written reads back, and every mistake is named by field and line.
struct NodeConfigurationTests {
    @Test func writtenConfigurationReadsBack() throws {
        var configuration = NodeConfiguration(
            nodeID: OrgID("440000")!,
            genesis: "../genesis.json",
            p2pListen: "127.0.0.1:26656",
            apiListen: "127.0.0.1:8080"
        )
        configuration.peers = [OrgID("110000")!: "10.0.0.1:26656", OrgID("310000")!: "[::1]:26657"]
        configuration.blockIntervalMilliseconds = 400
        configuration.logFormat = .json
        configuration.logLevel = "debug"
        configuration.mempoolTransactions = 5_000
        configuration.treeCacheNodes = 65_536
        configuration.apiTrustedProxies = ["10.0.0.5", "192.168.0.0/16", "fd00::/8"].compactMap(IPAddressRange.init)
        #expect(configuration.apiTrustedProxies.count == 3)
        #expect(try NodeConfiguration.parse(configuration.toml) == configuration)
    }

    /// Found by the config fuzz target: a listen address holding quotes and backslashes was accepted and then
    /// written out unescaped, so the file read back as something else; and an escape followed by a combining
    /// mark (`\t` then U+074A) read as one character. Addresses now refuse what a config file must quote,
    /// every string is written escaped, and strings are read and written by Unicode scalar.
    @Test func stringsNeedingEscapesReadBackAndAddressesRefuseThem() throws {
        var configuration = NodeConfiguration(
            nodeID: OrgID("440000")!,
            genesis: "../gen\"es\\is\t.json\t\u{74A}\"\u{301}",
            p2pListen: "127.0.0.1:26656",
            apiListen: "127.0.0.1:8080"
        )
        configuration.signingJournal = true
        #expect(try NodeConfiguration.parse(configuration.toml) == configuration)
        for listen in ["127\\\".\\\\\\\"..0.0.1:31354", "my host:1", "a\\tb:2"] {
            let text =
                "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n[api]\nlisten = \"\(listen)\"\n"
            #expect(throws: ConfigurationError.self, "\(listen)") { try NodeConfiguration.parse(text) }
        }
        #expect(throws: ConfigurationError.self) { try NodeConfiguration.parse("genesis = \"a\u{1}b\"\n") }
    }

    @Test(arguments: [
        (
            "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"x\"\n[api]\nlisten = \"127.0.0.1:1\"",
            "line 4, p2p.listen"
        ),
        ("node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n", "api.listen: is missing"),
        ("node_id = \"A\"\ngenesis = \"g\"\nlisen = 3\n", "line 3, lisen: unknown field"),
        ("node_id = \"A\"\nnode_id = \"B\"\n", "line 2, node_id: set twice"),
        ("node_id = A\n", "line 1, node_id: expected a \"string\""),
        ("[p2p\n", "line 1: a table header is [name]"),
        (
            "node_id = \"bad id!\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n[api]\nlisten = \"1.2.3.4:6\"\n",
            "node_id"
        ),
        (
            "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\npeers = [\"B\"]\n[api]\nlisten = \"1.2.3.4:6\"\n",
            "line 5, p2p.peers: \"B\" is not id@host:port"
        ),
        (
            "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n[api]\nlisten = \"1.2.3.4:6\"\n[log]\nformat = \"xml\"\n",
            "line 8, log.format"
        ),
        (
            "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n[api]\nlisten = \"1.2.3.4:6\"\n[consensus]\nblock_interval_ms = -1\n",
            "line 8, consensus.block_interval_ms"
        ),
        (
            "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n[api]\nlisten = \"1.2.3.4:6\"\n[storage]\ntree_cache_nodes = 10\n",
            "line 8, storage.tree_cache_nodes"
        ),
        (
            "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n[api]\nlisten = \"1.2.3.4:6\"\ntrusted_proxies = [\"10.0.0.5\", \"proxy.local\"]\n",
            "line 7, api.trusted_proxies: \"proxy.local\" is not an IP address"
        ),
        (
            "node_id = \"A\"\ngenesis = \"g\"\n[p2p]\nlisten = \"1.2.3.4:5\"\n[api]\nlisten = \"1.2.3.4:6\"\ntrusted_proxies = \"10.0.0.5\"\n",
            "line 7, api.trusted_proxies: expected ["
        ),
    ])
    func mistakesNameTheirFieldAndLine(text: String, expected: String) {
        do {
            _ = try NodeConfiguration.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func commentsAndStringsAreRead() throws {
        let text = """
            # a comment
            node_id = "A"   # trailing comment
            genesis = "with # hash and \\"quotes\\""
            [p2p]
            listen = "127.0.0.1:26656"
            peers = ["B@10.0.0.2:26656", "C@10.0.0.3:26656",]
            [api]
            listen = "127.0.0.1:8080"
            """
        let configuration = try NodeConfiguration.parse(text)
        #expect(configuration.genesis == "with # hash and \"quotes\"")
        #expect(configuration.peers.count == 2)
    }

    /// A home that cannot start says why, naming the file and field, and creates nothing.
    @Test func aBrokenHomeIsRefusedAndLeftUntouched() throws {
        let directory = TemporaryDirectory("civic-home")
        let home = directory.path + "/node"
        let configuration = NodeConfiguration(
            nodeID: LedgerFixture.guangdong,
            genesis: "genesis.json",
            p2pListen: "127.0.0.1:26656",
            apiListen: "127.0.0.1:8080"
        )
        let created = try NodeHome.create(at: home, configuration: configuration, suite: .secp256k1SHA256)
        #expect(created.consensusKey != nil)
        #expect(throws: ConfigurationError.self) {
            try NodeHome.create(at: home, configuration: configuration, suite: .secp256k1SHA256)
        }
        // No genesis yet.
        #expect { try NodeHome(home).load() } throws: { "\($0)".contains("genesis.json: no such file") }
        // A genesis that does not parse.
        try Data("{\"chain_id\": 5}".utf8).write(to: URL(fileURLWithPath: home + "/genesis.json"))
        #expect { try NodeHome(home).load() } throws: { "\($0)".contains("chain_id") }
        // A genesis without this node's member loads: a node admitted later by governance starts like this.
        let genesis = Genesis(
            chainID: ChainID("civic-x")!,
            suite: .secp256k1SHA256,
            genesisTime: 1,
            members: [LedgerFixture().genesis.members[1]]
        )
        try Data(genesis.json.serialized().utf8).write(to: URL(fileURLWithPath: home + "/genesis.json"))
        #expect(try NodeHome(home).load().genesis.chainID == ChainID("civic-x"))
        // A TLS key others may read.
        try Data(LedgerFixture().genesis.json.serialized().utf8).write(to: URL(fileURLWithPath: home + "/genesis.json"))
        chmod(home + "/keys/tls.key", 0o644)
        #expect { try NodeHome(home).load() } throws: { "\($0)".contains("chmod 600") }
        chmod(home + "/keys/tls.key", 0o600)
        let loaded = try NodeHome(home).load()
        #expect(loaded.tls.keyPin == created.tls.keyPin)
        #expect(!FileManager.default.fileExists(atPath: home + "/data"), "loading must not create anything")
    }
}
