/// How urgent an outgoing message is. Consensus messages leave before bulk ones (transactions, block sync),
/// so votes never wait behind a backlog of gossip on a slow link (`docs/network.md`, "Queues").
public enum SendPriority: Sendable, Equatable {
    case consensus
    case bulk
}

/// A connection's outgoing frames waiting for the socket, bounded in bytes per priority. When a class is full
/// the new frame is dropped and counted: a slow peer loses its own messages and never holds memory or other
/// peers hostage. Consensus re-offers what a peer still needs (Consensus/SPEC §11), so a drop costs time, not
/// safety.
public struct SendQueue: Sendable {
    public let limitBytes: Int
    private var consensus: [[UInt8]] = []
    private var bulk: [[UInt8]] = []
    private var consensusHead = 0
    private var bulkHead = 0
    public private(set) var consensusBytes = 0
    public private(set) var bulkBytes = 0
    /// Frames refused because their class was full.
    public private(set) var dropped: UInt64 = 0

    /// `limitBytes` bounds each priority class separately.
    public init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    public var isEmpty: Bool { consensusHead == consensus.count && bulkHead == bulk.count }
    public var count: Int { consensus.count - consensusHead + bulk.count - bulkHead }

    /// Queues `frame`; false (and counted) when its class is full.
    public mutating func enqueue(_ frame: [UInt8], priority: SendPriority) -> Bool {
        switch priority {
        case .consensus:
            guard consensusBytes + frame.count <= limitBytes else {
                dropped += 1
                return false
            }
            consensus.append(frame)
            consensusBytes += frame.count
        case .bulk:
            guard bulkBytes + frame.count <= limitBytes else {
                dropped += 1
                return false
            }
            bulk.append(frame)
            bulkBytes += frame.count
        }
        return true
    }

    /// The next frame to write: consensus first, then bulk, each in order.
    public mutating func dequeue() -> [UInt8]? {
        if consensusHead < consensus.count {
            let frame = consensus[consensusHead]
            consensusHead += 1
            consensusBytes -= frame.count
            Self.compact(&consensus, &consensusHead)
            return frame
        }
        if bulkHead < bulk.count {
            let frame = bulk[bulkHead]
            bulkHead += 1
            bulkBytes -= frame.count
            Self.compact(&bulk, &bulkHead)
            return frame
        }
        return nil
    }

    /// Drops consumed entries once they are at least half the array, keeping dequeue amortised O(1).
    private static func compact(_ frames: inout [[UInt8]], _ head: inout Int) {
        if head == frames.count {
            frames.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= frames.count {
            frames.removeFirst(head)
            head = 0
        }
    }
}
