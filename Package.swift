// swift-tools-version:6.0
import PackageDescription

/// CivicLedger: a permissioned BFT ledger for civil-affairs departments.
/// Module graph (dependencies point one way):
/// civic, civicd → CivicCommandLine → LedgerCore → LedgerCrypto → C targets;
/// civicd → Storage → Consensus → LedgerCore; civicd → Simulation → Consensus; P2P → LedgerCore;
/// Node → P2P, Storage, Consensus (the pieces wired together).
let package = Package(
    name: "CivicLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "civic", targets: ["civic"]),
        .executable(name: "civicd", targets: ["civicd"]),
        .library(name: "LedgerCrypto", targets: ["LedgerCrypto"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Consensus", targets: ["Consensus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb", providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CQRCode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev", "libpng-dev"])]
        ),
        .target(name: "LedgerCrypto", dependencies: ["CSecp256k1", "COpenSSL"]),
        .target(name: "LedgerCore", dependencies: ["LedgerCrypto"]),
        .target(name: "Consensus", dependencies: ["LedgerCore"]),
        .target(name: "Verifier", dependencies: ["LedgerCore"]),
        .target(name: "Simulation", dependencies: ["Consensus"]),
        .target(
            name: "P2P",
            dependencies: [
                "LedgerCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Storage", dependencies: ["CRocksDB", "LedgerCore", "Consensus", "Verifier"]),
        .target(name: "Node", dependencies: ["P2P", "Storage", "Consensus"]),
        .target(
            name: "NodeAPI",
            dependencies: [
                "Node", "Storage", "LedgerCore", "LedgerCrypto", "Verifier",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "CivicCommandLine",
            dependencies: [
                "LedgerCrypto", "LedgerCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "civic",
            dependencies: [
                "LedgerCrypto", "LedgerCore", "CivicCommandLine", "Verifier", "CQRCode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "civicd",
            dependencies: [
                "LedgerCrypto", "LedgerCore", "Storage", "Simulation", "CivicCommandLine", "Node", "NodeAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LedgerCryptoTests",
            dependencies: ["LedgerCrypto", "COpenSSL"],
            resources: [.copy("Vectors")]
        ),
        .target(
            name: "LedgerTestSupport",
            dependencies: [
                "LedgerCore", "Storage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/LedgerTestSupport"
        ),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore", "LedgerTestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Consensus", "LedgerTestSupport"]),
        .testTarget(name: "ConsensusTests", dependencies: ["Consensus", "LedgerTestSupport"]),
        .testTarget(name: "VerifierTests", dependencies: ["Verifier", "LedgerTestSupport", "Storage"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(
            name: "P2PTests",
            dependencies: ["P2P", "LedgerTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "crash-writer",
            dependencies: ["Storage", "LedgerTestSupport"],
            path: "Tests/CrashWriter"
        ),
        .executableTarget(
            name: "consensus-crash",
            dependencies: ["Consensus", "Simulation", "Storage"],
            path: "Tests/ConsensusCrash"
        ),
        .executableTarget(
            name: "network-bench",
            dependencies: [
                "P2P", "Node", "Storage", "LedgerTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/NetworkBench"
        ),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Node", "P2P", "Storage", "LedgerTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "receipt-bench",
            dependencies: ["LedgerCore", "LedgerCrypto", "LedgerTestSupport", "Verifier"],
            path: "Tests/ReceiptBench"
        ),
        .executableTarget(
            name: "chaos",
            dependencies: ["CivicCommandLine", "LedgerCore", "LedgerCrypto", "LedgerTestSupport", "Node", "Storage"],
            path: "Tests/Chaos"
        ),
        .target(name: "FuzzDriver", path: "Tests/FuzzDriver"),
        .executableTarget(
            name: "civic-fuzz",
            dependencies: ["FuzzDriver", "LedgerCore", "LedgerCrypto", "Node", "P2P", "Verifier"],
            path: "Tests/Fuzz",
            exclude: ["Corpus"]
        ),
        .executableTarget(
            name: "compare-load",
            dependencies: [
                "LedgerCore", "LedgerCrypto", "CivicCommandLine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/CompareLoad"
        ),
        .executableTarget(
            name: "overload",
            dependencies: ["LedgerCore", "LedgerCrypto", "CivicCommandLine"],
            path: "Tests/Overload"
        ),
        .executableTarget(
            name: "node-load",
            dependencies: ["LedgerCore", "LedgerCrypto", "CivicCommandLine"],
            path: "Tests/NodeLoad"
        ),
        .testTarget(
            name: "NodeAPITests",
            dependencies: [
                "NodeAPI", "Node", "P2P", "LedgerTestSupport", "CivicCommandLine", "Verifier",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "LedgerCore", "LedgerCrypto", "LedgerTestSupport", "CivicCommandLine", "Node", "NodeAPI", "Storage",
                "Verifier",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "CivicTests", dependencies: ["LedgerCrypto", "LedgerCore", "LedgerTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
