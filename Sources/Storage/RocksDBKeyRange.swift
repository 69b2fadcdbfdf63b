/// Which keys an iteration visits, in ascending byte order: all keys, keys with a prefix, or `[start, end)`.
public struct RocksDBKeyRange: Sendable {
    /// First key visited (inclusive); nil starts at the first key.
    public let start: [UInt8]?
    /// First key not visited (exclusive); nil runs to the last key.
    public let end: [UInt8]?

    public init(start: [UInt8]? = nil, end: [UInt8]? = nil) {
        self.start = start
        self.end = end
    }

    public static let all = RocksDBKeyRange()

    /// Every key that begins with `prefix`.
    public static func prefix(_ prefix: [UInt8]) -> RocksDBKeyRange {
        RocksDBKeyRange(start: prefix, end: successor(of: prefix))
    }

    /// The smallest byte string greater than every string starting with `prefix`; nil when there is none
    /// (the prefix is empty or all 0xff).
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bound = prefix
        while let last = bound.last {
            if last < 0xff {
                bound[bound.count - 1] = last + 1
                return bound
            }
            bound.removeLast()
        }
        return nil
    }
}
