import LedgerCore

/// What went wrong reading or writing the consensus write-ahead log.
public enum ConsensusWALError: Error, Sendable, CustomStringConvertible {
    /// The log holds something other than a torn last record: it cannot be trusted, and the node stops.
    case corrupt(file: String, offset: Int, reason: String)
    case io(String)
    /// Asked to begin a height at or below the one it already logs.
    case heightOrder(logged: UInt64, requested: UInt64)

    public var description: String {
        switch self {
        case .corrupt(let file, let offset, let reason): return "WAL \(file) is corrupt at byte \(offset): \(reason)"
        case .io(let reason): return "WAL: \(reason)"
        case .heightOrder(let logged, let requested):
            return "WAL already logs height \(logged); cannot begin height \(requested)"
        }
    }
}

/// The consensus write-ahead log (SPEC §10): every input of the current height, appended and synced before
/// the engine sees it, so that a restarted node replays them and resumes where it was.
/// `FileConsensusWAL` (Storage) is the node's; `InMemoryConsensusWAL` is its twin.
public protocol ConsensusWAL {
    /// The height whose inputs the log holds; nil for an empty log.
    var height: UInt64? { get }
    /// The logged inputs of `height` in order; empty when the log holds another height.
    func events(height: UInt64) throws(ConsensusWALError) -> [ConsensusEvent]
    /// Starts logging `height`, dropping the inputs of earlier (committed) heights.
    mutating func begin(height: UInt64) throws(ConsensusWALError)
    /// Appends one input and returns once it is durable.
    mutating func append(_ event: ConsensusEvent) throws(ConsensusWALError)
}

/// The write-ahead log in memory, for tests and the simulator.
public struct InMemoryConsensusWAL: ConsensusWAL {
    public private(set) var height: UInt64?
    private var logged: [ConsensusEvent] = []

    public init() {}

    public func events(height: UInt64) throws(ConsensusWALError) -> [ConsensusEvent] {
        self.height == height ? logged : []
    }

    public mutating func begin(height: UInt64) throws(ConsensusWALError) {
        if let current = self.height, current >= height {
            throw .heightOrder(logged: current, requested: height)
        }
        self.height = height
        logged = []
    }

    public mutating func append(_ event: ConsensusEvent) throws(ConsensusWALError) {
        logged.append(event)
    }
}
