import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// `civic submit batch`: anchors many documents in one transaction as the RFC 6962 Merkle root of their digests.
struct SubmitBatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Anchor many documents at once: one Merkle root on the ledger, one inclusion proof per document.",
        discussion: """
            Each document is hashed here; the leaves are the digests in the order given
            (leaf hash H(0x00 ‖ digest)). The ledger records the root, the count and
            --label (no personal data). Each document's inclusion proof is written to
            --proofs as JSON, to hand out with the document: with it and the root,
            anyone can show the document was in the batch (civic merkle verify).
            """
    )

    /// The most documents in one batch: their proofs file (about 1.3 KB per document) stays well inside the
    /// 16 MiB every JSON reader here accepts.
    static let maximumDocuments = 10_000

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "A short description with no personal data, e.g. \"2026-11 diplomas, run 3\".")
    var label: String

    @Option(help: "Where to write the per-document inclusion proofs (JSON).")
    var proofs: String

    @Argument(help: "The documents (at least one).")
    var files: [String]

    func run() async throws {
        let signer = try KeyFile.read(from: submission.key)
        guard !files.isEmpty else { throw InputError(message: "give at least one document") }
        guard files.count <= Self.maximumDocuments else {
            throw InputError(
                message:
                    "at most \(Self.maximumDocuments) documents per batch (its proofs file must stay readable): split them into several batches"
            )
        }
        guard label.utf8.count <= BatchAnchor.maximumLabelLength else {
            throw InputError(message: "--label is at most \(BatchAnchor.maximumLabelLength) bytes")
        }
        let hash = signer.suite.suite.hashFunction
        let log = MerkleLog(hash: hash)
        let digests = try files.map { hash.hash(try FileInput.read($0)) }
        let leaves = digests.map { log.leafHash($0.bytes) }
        let root = log.root(leafHashes: leaves)
        var entries: [JSONValue] = []
        for (index, file) in files.enumerated() {
            let proof = try log.inclusionProof(index: index, leafHashes: leaves)
            entries.append(
                .object([
                    JSONMember("file", .string(file)),
                    JSONMember("digest", .string(digests[index].hex)),
                    JSONMember("leaf_index", .integer(Int64(index))),
                    JSONMember("hashes", .array(proof.hashes.map { .string($0.hex) })),
                ])
            )
        }
        let document = JSONValue.object([
            JSONMember("suite", .string(signer.suite.rawValue)),
            JSONMember("root", .string(root.hex)),
            JSONMember("tree_size", .integer(Int64(files.count))),
            JSONMember("label", .string(label)),
            JSONMember("documents", .array(entries)),
        ])
        guard FileManager.default.createFile(atPath: proofs, contents: Data((document.serialized() + "\n").utf8)) else {
            throw InputError(message: "\(proofs): cannot write")
        }
        let payload = TransactionPayload.batchAnchor(
            BatchAnchor(root: root, leafCount: UInt32(files.count), label: label)
        )
        try await SubmitCommand.send(payload, signer: signer, options: submission)
    }
}
