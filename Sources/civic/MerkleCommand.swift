import ArgumentParser
import CivicCommandLine
import LedgerCore
import LedgerCrypto

/// `civic merkle root|prove|consistency`: RFC 6962 Merkle trees over a file of hex leaves.
struct MerkleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merkle",
        abstract: "RFC 6962 Merkle tree root and proofs over a file with one hex-encoded leaf per line.",
        discussion: """
            Leaves are hashed as H(0x00 ‖ leaf), nodes as H(0x01 ‖ left ‖ right), with
            the suite's hash. Every line is one leaf (an empty line is the empty leaf);
            '-' reads standard input.
            """,
        subcommands: [Root.self, Prove.self, Consistency.self, Verify.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3.")
        var suite: CryptoSuiteID = .secp256k1SHA256

        @Argument(help: "File of hex-encoded leaves, one per line.")
        var leaves: String

        func leafHashes() throws -> (MerkleLog, [Digest]) {
            let log = MerkleLog(hash: suite.suite.hashFunction)
            return (log, try FileInput.hexLines(leaves).map(log.leafHash))
        }
    }

    struct Root: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the tree's root as hex.")
        @OptionGroup var common: Common

        func run() throws {
            let (log, hashes) = try common.leafHashes()
            print(log.root(leafHashes: hashes).hex)
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the inclusion proof of one leaf as JSON.",
            discussion: #"Output: {"tree_size":N,"leaf_index":I,"root":HEX,"hashes":[HEX,…]}"#
        )
        @OptionGroup var common: Common
        @Option(help: "Zero-based index of the leaf.")
        var index: Int

        func run() throws {
            let (log, hashes) = try common.leafHashes()
            guard index >= 0, index < hashes.count else {
                throw InputError(message: "--index \(index) is outside the tree of \(hashes.count) leaves")
            }
            let proof = try log.inclusionProof(index: index, leafHashes: hashes)
            print(
                JSONValue.object([
                    JSONMember("tree_size", .unsigned(proof.treeSize)),
                    JSONMember("leaf_index", .unsigned(proof.leafIndex)),
                    JSONMember("root", .string(log.root(leafHashes: hashes).hex)),
                    JSONMember("hashes", .array(proof.hashes.map { .string($0.hex) })),
                ]).serialized(pretty: false)
            )
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the consistency proof from the first OLD leaves to the whole tree as JSON.",
            discussion: #"Output: {"old_size":M,"new_size":N,"hashes":[HEX,…]}"#
        )
        @OptionGroup var common: Common
        @Option(help: "Size of the older tree (1 … number of leaves).")
        var old: Int

        func run() throws {
            let (log, hashes) = try common.leafHashes()
            guard old >= 1, old <= hashes.count else {
                throw InputError(message: "--old \(old) must be between 1 and the \(hashes.count) leaves")
            }
            let proof = try log.consistencyProof(oldSize: old, leafHashes: hashes)
            print(
                JSONValue.object([
                    JSONMember("old_size", .unsigned(proof.oldSize)),
                    JSONMember("new_size", .unsigned(proof.newSize)),
                    JSONMember("hashes", .array(proof.hashes.map { .string($0.hex) })),
                ]).serialized(pretty: false)
            )
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a document is in a batch, from the proofs file civic submit batch wrote.",
            discussion: """
                Hashes DOCUMENT here and checks that its audit path in PROOFS leads to the
                batch's root. This checks the file against the root in PROOFS only; whether
                that root is on the ledger, and who anchored it, is what civic verify checks
                (civic verify --file DOCUMENT --batch-proofs PROOFS --node URL).
                Exit 0 in the batch, 1 not in it, 2 could not check.
                """
        )
        @Option(help: "Crypto suite: secp256k1-sha256 or sm2-sm3 (default: the proofs file's).")
        var suite: CryptoSuiteID?

        @Option(help: "The proofs file civic submit batch wrote.")
        var proofs: String

        @Argument(help: "The document.")
        var document: String

        func run() throws {
            let batch = try BatchProofsFile(path: proofs)
            let hash = (suite ?? batch.suite ?? .secp256k1SHA256).suite.hashFunction
            let log = MerkleLog(hash: hash)
            let digest = hash.hash(try FileInput.read(document))
            let path: InclusionProof
            do { path = try batch.path(for: digest, document: document) } catch let error as InputError {
                throw CheckFailed(message: error.message)
            }
            do { try log.verify(path, leafHash: log.leafHash(digest.bytes), root: batch.root) } catch {
                throw CheckFailed(message: "\(document)'s path in \(proofs) does not lead to its root: \(error)")
            }
            print(
                "✓ \(document) is document \(path.leafIndex + 1) of \(batch.treeSize) in the batch \"\(batch.label)\" with root \(batch.root.hex). Whether that root is on the ledger: civic verify --file \(document) --batch-proofs \(proofs) --node URL --genesis GENESIS"
            )
        }
    }
}
