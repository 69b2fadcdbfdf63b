import Consensus
import LedgerCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An audit trail of every signature a validator's key released (`consensus.signing_journal`,
/// docs/node.md): one line per proposal or vote — `height round step block-hash` (`nil` for a nil vote) —
/// appended before the signing guard returns the signature. A killed process loses no line it wrote; a power
/// loss may lose the last lines, which the guard's synced record still covers. Operators read it after an
/// incident; `Tools/chaos.sh` reads every node's to show no validator signed two things at one step.
public final class SigningJournal {
    /// One line of the journal.
    public struct Entry: Hashable, Sendable {
        public let height: UInt64
        public let round: UInt32
        public let step: ConsensusStep
        /// Nil for a nil vote.
        public let blockHash: Digest?

        public init(height: UInt64, round: UInt32, step: ConsensusStep, blockHash: Digest?) {
            self.height = height
            self.round = round
            self.step = step
            self.blockHash = blockHash
        }

        /// The entry's line, without the newline.
        public var line: String {
            let step = ["propose", "prevote", "precommit"][Int(self.step.rawValue) - 1]
            return "\(height) \(round) \(step) \(blockHash?.hex ?? "nil")"
        }

        /// Reads a line; nil when it is not one this journal writes (a torn last line, for instance).
        public init?(line: some StringProtocol) {
            let fields = line.split(separator: " ")
            guard fields.count == 4, let height = UInt64(fields[0]), let round = UInt32(fields[1]) else { return nil }
            switch fields[2] {
            case "propose": step = .propose
            case "prevote": step = .prevote
            case "precommit": step = .precommit
            default: return nil
            }
            if fields[3] == "nil" {
                blockHash = nil
            } else {
                guard let digest = Digest(hex: fields[3]) else { return nil }
                blockHash = digest
            }
            self.height = height
            self.round = round
        }
    }

    public let path: String
    private let descriptor: Int32

    /// Opens `path` for appending, creating it when missing.
    public init(path: String) throws(FileSystemError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystemError("open", path) }
    }

    deinit { close(descriptor) }

    /// Appends the line for `record`.
    public func append(_ record: SigningRecord) throws(FileSystemError) {
        let entry = Entry(height: record.height, round: record.round, step: record.step, blockHash: record.blockHash)
        try DurableFile.writeAll(descriptor, Array((entry.line + "\n").utf8), path)
    }
}
