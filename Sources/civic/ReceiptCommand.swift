import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Verifier

/// `civic receipt`: fetches a receipt from a node and writes it to a file for offline verification.
struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Save a receipt: the proof of a certificate's standing (or of a transaction) for offline checks.",
        discussion: """
            With --number and --code: the certificate's receipt at the node's latest
            block (its record with every proof, or the proof that it is not anchored).
            With --tx: a committed transaction's receipt. Only the issuer and the
            certificate key H(number ‖ secret) go to the node, never the number or code.
            With --batch-proofs (the file civic submit batch wrote): a document's receipt —
            the batch's proof from the node and the document's path from the file — for
            --file DOC, or, without --file, one per document of the batch, written to
            the directory --out as LEAF_INDEX.json (the node is asked once).
            The receipt is written as JSON (or the compact binary form with --binary);
            check it with `civic verify --receipt FILE --genesis genesis.json --file
            DOC --number N --code CODE`. With --checkpoint, its validator-set changes
            start at that checkpoint instead of genesis (shorter; whoever verifies it
            must pin that checkpoint or a later one; the file is not checked here —
            civic verify --checkpoint checks it). Format: docs/receipts.md.
            """
    )

    @Option(help: "The node's API, e.g. http://127.0.0.1:8080.")
    var node: String

    @Option(help: "The certificate number as printed on it.")
    var number: String?

    @Option(help: "The verification code printed on it (ISSUER-SECRET).")
    var code: String?

    @Option(help: "A transaction hash (64 hex digits), for a transaction's receipt instead.")
    var tx: String?

    @Option(name: .customLong("batch-proofs"), help: "The proofs file of a batch (civic submit batch).")
    var batchProofs: String?

    @Option(help: "With --batch-proofs: the document to make a receipt for.")
    var file: String?

    @Option(help: "A checkpoint file (civic checkpoint) for the receipt to start from instead of genesis.")
    var checkpoint: String?

    @Option(help: "Where to write the receipt.")
    var out: String

    @Flag(help: "Write the compact binary form instead of JSON.")
    var binary = false

    @Option(
        help:
            "With --number and --code: also write a QR code (PNG) to print on the certificate; it opens this node's /verify page with the number and code filled in."
    )
    var qr: String?

    @Flag(help: "Print what was written as JSON.")
    var json = false

    func run() async throws {
        let client = NodeClient(node)
        let suite = try await client.suite().suite
        let from = try checkpoint.map { path in
            do { return try Checkpoint(json: try FileInput.read(path), hash: suite.hashFunction) } catch let error
                as CheckpointError
            {
                throw InputError(message: "\(path): \(error)")
            }
        }
        let query = from.map { "?checkpoint=\($0.height)" } ?? ""
        guard file == nil || batchProofs != nil else {
            throw InputError(message: "--file makes a document's receipt: give --batch-proofs with it")
        }
        if let batchProofs {
            guard number == nil, code == nil, tx == nil else {
                throw InputError(
                    message: "--batch-proofs makes a document's receipt: leave out --number, --code and --tx"
                )
            }
            return try await documents(batchProofs, client: client, suite: suite, query: query, from: from)
        }
        let receipt: Receipt
        guard qr == nil || (number != nil && code != nil) else {
            throw InputError(message: "--qr is for a certificate: give --number and --code with it")
        }
        switch (number, code, tx) {
        case (let number?, let text?, nil):
            let code = try CertificateOptions.code(text, option: "--code")
            let subject = CertificateRef(code: code, number: number, hash: suite.hashFunction)
            receipt = try await client.receipt(NodeClient.certificateReceiptPath(subject) + query)
            if let qr {
                let link = Self.verifyLink(node: node, number: number, code: code.description)
                guard FileManager.default.createFile(atPath: qr, contents: Data(try QRCodeImage.png(link))) else {
                    throw InputError(message: "\(qr): cannot write")
                }
                if !json { print("wrote \(qr): a QR code that opens \(node)/verify with this number and code") }
            }
        case (nil, nil, let hash?):
            guard let bytes = Hex.decode(hash), Digest(bytes: bytes) != nil else {
                throw InputError(message: "--tx must be 64 hex digits")
            }
            receipt = try await client.receipt("/v1/txs/\(hash.lowercased())/receipt" + query)
        default:
            throw InputError(message: "give --number and --code for a certificate, or --tx for a transaction")
        }
        if let from, receipt.base != from.reference(hash: suite.hashFunction) {
            throw InputError(
                message: "the node's receipt does not start at the checkpoint given: it has another history"
            )
        }
        let bytes = try write(receipt, to: out)
        let header = receipt.header
        guard !json else {
            let summary = JSONValue.object([
                JSONMember("file", .string(out)),
                JSONMember("kind", .string(receipt.kind)),
                JSONMember("height", .unsigned(header.height)),
                JSONMember("time", .string(UTCTimestamp.format(header.time))),
                JSONMember("bytes", .integer(Int64(bytes.count))),
            ])
            return print(summary.serialized())
        }
        print(
            "wrote \(out): \(receipt.kind) receipt as of block \(header.height) (\(UTCTimestamp.format(header.time))), \(bytes.count) bytes"
        )
    }

    /// The link a certificate's QR code carries: the node's verification page, with the number and code in
    /// the fragment — which a browser never sends to the server (`docs/cli.md`, `civic receipt`).
    static func verifyLink(node: String, number: String, code: String) -> String {
        var unreserved = CharacterSet.alphanumerics.intersection(.init(charactersIn: Unicode.Scalar(0)..<"\u{80}"))
        unreserved.insert(charactersIn: "-._~")
        func escaped(_ value: String) -> String {
            value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
        }
        let base = node.hasSuffix("/") ? String(node.dropLast()) : node
        return "\(base)/verify#number=\(escaped(number))&code=\(escaped(code))"
    }

    /// Writes `receipt` in the chosen form; returns the bytes written.
    private func write(_ receipt: Receipt, to path: String) throws -> [UInt8] {
        let bytes = binary ? receipt.binary : Array((receipt.json.serialized() + "\n").utf8)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw InputError(message: "\(path): cannot write")
        }
        return bytes
    }

    /// Documents' receipts: the batch's evidence from the node, each document's path from the proofs file.
    private func documents(
        _ proofsPath: String,
        client: NodeClient,
        suite: any CryptoSuite,
        query: String,
        from: Checkpoint?
    ) async throws {
        let proofs = try BatchProofsFile(path: proofsPath)
        let answer = try await client.receipt("/v1/batches/\(proofs.root.hex)/receipt" + query)
        guard case .batch(let batch, let handOffs) = answer.content, batch.root == proofs.root else {
            throw InputError(message: "the node answered with a \(answer.kind) receipt, not the batch's")
        }
        if let from, answer.base != from.reference(hash: suite.hashFunction) {
            throw InputError(
                message: "the node's receipt does not start at the checkpoint given: it has another history"
            )
        }
        guard let record = batch.record else {
            throw InputError(
                message:
                    "the node shows no batch with root \(proofs.root.hex) as of block \(batch.header.height): is it committed yet?"
            )
        }
        guard UInt64(record.leafCount) == proofs.treeSize, record.label == proofs.label else {
            throw InputError(
                message:
                    "the ledger's batch (\(record.leafCount) documents, \"\(record.label)\") is not the proofs file's (\(proofs.treeSize), \"\(proofs.label)\")"
            )
        }
        func receipt(_ path: InclusionProof) -> Receipt {
            Receipt(.document(DocumentEvidence(batch: batch, path: path), handOffs: handOffs), base: answer.base)
        }
        var written: [String] = []
        if let file {
            let digest = suite.hashFunction.hash(try FileInput.read(file))
            _ = try write(receipt(try proofs.path(for: digest, document: file)), to: out)
            written = [out]
        } else {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for entry in proofs.entries {
                let path = out + "/\(entry.path.leafIndex).\(binary ? "civr" : "json")"
                _ = try write(receipt(entry.path), to: path)
                written.append(path)
            }
        }
        guard !json else {
            return print(
                JSONValue.object([
                    JSONMember("kind", .string("document")),
                    JSONMember("height", .unsigned(batch.header.height)),
                    JSONMember("files", .array(written.map { .string($0) })),
                ]).serialized()
            )
        }
        print(
            "wrote \(written.count) document receipt\(written.count == 1 ? "" : "s") as of block \(batch.header.height): \(written.count == 1 ? out : out + "/")"
        )
    }
}
