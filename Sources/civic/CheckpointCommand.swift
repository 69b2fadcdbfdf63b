import ArgumentParser
import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import Verifier

/// `civic checkpoint`: fetches a checkpoint from a node, checks it from the genesis file (and any checkpoint
/// already pinned), and writes it for `civic verify --checkpoint` (`docs/verifier.md`, "Checkpoints").
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Save a checkpoint to pin: trust that moves with the validator set.",
        discussion: """
            Fetches the node's latest final header (or the one at --height) with its
            commit certificate, the validator set it hands to and the validator-set
            changes since genesis; checks every signature from the genesis file (and
            the checkpoints given with --checkpoint); and writes it to --out.
            A verifier that pins it (civic verify --checkpoint FILE) no longer accepts
            anything signed by validator sets replaced before it. A checkpoint checked
            from genesis alone is only as good as genesis's validators are honest
            today: compare its header hash with the one your network publishes.
            """
    )

    @Option(help: "The node's API, e.g. http://127.0.0.1:8080.")
    var node: String

    @Option(help: "The network's genesis file.")
    var genesis: String

    @Option(
        name: .customLong("checkpoint"),
        help: "A checkpoint already pinned, to check the new one from; repeat for several."
    )
    var checkpoints: [String] = []

    @Option(help: "The height to take it at (default: the node's latest).")
    var height: UInt64?

    @Option(help: "Where to write the checkpoint.")
    var out: String

    @Flag(help: "Print what was written as JSON.")
    var json = false

    /// "1 validator", "4 validators".
    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    func run() async throws {
        let genesis: Genesis
        do { genesis = try Genesis.parse(json: try FileInput.read(self.genesis)) } catch let error as GenesisError {
            throw InputError(message: "\(self.genesis): \(error)")
        }
        var trust = try VerifyCommand.trust(genesis, checkpoints: checkpoints)
        let hash = genesis.suite.suite.hashFunction
        let path = "/v1/checkpoint" + (height.map { "?height=\($0)" } ?? "")
        let response = try await APIRequest.send("GET", NodeClient(node).base + path)
        guard response.status == 200 else {
            throw InputError(message: "\(node) gave no checkpoint (HTTP \(response.status))")
        }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint(json: response.body, hash: hash) } catch {
            throw InputError(message: "the node's checkpoint is unreadable: \(error)")
        }
        let checkedFrom = trust.trustDescription
        do { try trust.pin(checkpoint) } catch {
            throw InputError(message: "the node's checkpoint does not follow from what is trusted: \(error)")
        }
        let bytes = Array((checkpoint.json(hash: hash).serialized() + "\n").utf8)
        guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
            throw InputError(message: "\(out): cannot write")
        }
        let header = checkpoint.point.header
        let headerHash = header.hash(hash).hex
        guard !json else {
            return print(
                JSONValue.object([
                    JSONMember("file", .string(out)),
                    JSONMember("height", .unsigned(header.height)),
                    JSONMember("time", .string(UTCTimestamp.format(header.time))),
                    JSONMember("header_hash", .string(headerHash)),
                    JSONMember("validator_set_changes", .integer(Int64(checkpoint.handOffs.count))),
                ]).serialized()
            )
        }
        print(
            """
            wrote \(out): checkpoint at height \(header.height) (\(UTCTimestamp.format(header.time))), \
            header hash \(headerHash); \(Self.count(checkpoint.point.next.validators.count, "validator")) \
            sign\(checkpoint.point.next.validators.count == 1 ? "s" : "") the next block. \
            Checked from \(checkedFrom) through \(Self.count(checkpoint.handOffs.count, "validator-set change")). \
            Compare the header hash with the one your network publishes before relying on it.
            """
        )
    }
}
