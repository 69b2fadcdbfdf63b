/// A set of puts and deletes across column families that RocksDB applies atomically: after a crash either
/// all of them are visible or none.
public struct RocksDBWriteBatch: Sendable {
    enum Operation: Sendable {
        case put(column: String, key: [UInt8], value: [UInt8])
        case delete(column: String, key: [UInt8])
        case deleteRange(column: String, start: [UInt8], end: [UInt8])
    }

    private(set) var operations: [Operation] = []

    public init() {}

    public var isEmpty: Bool { operations.isEmpty }
    public var count: Int { operations.count }

    public mutating func put(_ key: [UInt8], _ value: [UInt8], column: String = RocksDB.defaultColumn) {
        operations.append(.put(column: column, key: key, value: value))
    }

    public mutating func delete(_ key: [UInt8], column: String = RocksDB.defaultColumn) {
        operations.append(.delete(column: column, key: key))
    }

    /// Deletes every key in `[start, end)`.
    public mutating func deleteRange(from start: [UInt8], to end: [UInt8], column: String = RocksDB.defaultColumn) {
        operations.append(.deleteRange(column: column, start: start, end: end))
    }
}
