import Foundation
import LedgerCore
import LedgerCrypto
import Node
import P2P
import Verifier

/// What each fuzz target feeds its input to, and the property it holds it to (`Tools/fuzz.sh`,
/// docs/reliability.md). A decoder must return a value or a typed error — a trap, an address-sanitizer report
/// or a leak is a finding — and whatever decodes must come back out the same: canonical bytes re-encode to
/// themselves, a parsed configuration or receipt parses again to an equal value.
enum FuzzTarget: String, CaseIterable {
    /// The peer wire's length-prefixed framing, fed in pieces as a connection delivers them.
    case frame
    /// Every peer message decoder (`WireMessage(frame:)`, one per message type).
    case message
    /// A signed transaction as POST /v1/txs and gossip carry it.
    case transaction
    /// The genesis file (JSON) and its canonical binary form.
    case genesis
    /// A node's `config.toml`.
    case config
    /// A receipt file, binary or JSON (`civic verify`).
    case receipt

    /// The target named by `CIVIC_FUZZ_TARGET`, for the libFuzzer entry point.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CIVIC_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set CIVIC_FUZZ_TARGET to one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    /// Runs one input; traps when a property fails.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .frame:
            Self.frames(bytes)
        case .message:
            if let message = try? WireMessage(frame: bytes) {
                require(message.canonicalBytes == bytes, "a message re-encodes to other bytes")
            }
        case .transaction:
            if let transaction = try? SignedTransaction(canonicalBytes: bytes) {
                require(transaction.canonicalBytes == bytes, "a transaction re-encodes to other bytes")
            }
        case .genesis:
            _ = try? Genesis.parse(json: bytes)
            if let genesis = try? Genesis(canonicalBytes: bytes) {
                require(genesis.canonicalBytes == bytes, "a genesis re-encodes to other bytes")
            }
        case .config:
            if let configuration = try? NodeConfiguration.parse(String(decoding: bytes, as: UTF8.self)) {
                require(
                    (try? NodeConfiguration.parse(configuration.toml)) == configuration,
                    "a configuration does not survive being written out and read back"
                )
            }
        case .receipt:
            if let receipt = try? Receipt(file: bytes) {
                require(
                    (try? Receipt(binary: receipt.binary))?.binary == receipt.binary,
                    "a receipt does not round-trip"
                )
            }
        }
    }

    /// The input cut into pieces at places its own bytes choose, as TCP might deliver it: the frames must be
    /// the same however it is cut, and the decoder must never hold more than one frame and a prefix.
    private static func frames(_ bytes: [UInt8]) {
        let maximum = 4096
        var whole = FrameDecoder(maximumFrameSize: maximum)
        let expected = try? whole.receive(bytes)
        var pieces = FrameDecoder(maximumFrameSize: maximum)
        var received: [[UInt8]] = []
        var failed = false
        var offset = 0
        while offset < bytes.count && !failed {
            let length = min(bytes.count - offset, Int(bytes[offset] % 17) + 1)
            do { received += try pieces.receive(bytes[offset..<offset + length]) } catch { failed = true }
            require(pieces.bufferedBytes <= maximum + FrameDecoder.prefixSize, "the frame decoder over-buffered")
            offset += length
        }
        if let expected {
            require(!failed && received == expected, "frames depend on how the stream was cut")
        } else {
            require(failed, "a stream refused whole was accepted in pieces")
        }
    }
}

/// A failed property: a trap, which libFuzzer records with the input that caused it.
func require(_ condition: Bool, _ message: String) {
    if !condition { fatalError(message) }
}
