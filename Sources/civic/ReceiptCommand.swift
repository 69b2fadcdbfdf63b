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
            The receipt is written as JSON (or the compact binary form with --binary);
            check it with `civic verify --receipt FILE --genesis genesis.json --file
            DOC --number N --code CODE`. With --checkpoint, its validator-set changes
            start at that checkpoint instead of genesis (shorter; whoever verifies it
            must pin that checkpoint or a later one). Format: docs/receipts.md.
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

    @Option(help: "A checkpoint file (civic checkpoint) for the receipt to start from instead of genesis.")
    var checkpoint: String?

    @Option(help: "Where to write the receipt.")
    var out: String

    @Flag(help: "Write the compact binary form instead of JSON.")
    var binary = false

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
        let receipt: Receipt
        switch (number, code, tx) {
        case (let number?, let text?, nil):
            let code = try CertificateOptions.code(text, option: "--code")
            let subject = CertificateRef(code: code, number: number, hash: suite.hashFunction)
            receipt = try await client.receipt(NodeClient.certificateReceiptPath(subject) + query)
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
        let bytes = binary ? receipt.binary : Array((receipt.json.serialized() + "\n").utf8)
        guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
            throw InputError(message: "\(out): cannot write")
        }
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
}
