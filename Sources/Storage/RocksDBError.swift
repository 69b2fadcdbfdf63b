/// A failure reported by RocksDB or by misuse of the wrapper, with RocksDB's own message.
public struct RocksDBError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// RocksDB returned an error status (I/O error, corruption, lock held by another process, …).
        case native
        /// The database was closed before this call.
        case closed
        /// A column family that was not opened.
        case unknownColumn = "unknown_column"
        /// An argument the wrapper refuses (empty column list, a range whose end is before its start, …).
        case invalidArgument = "invalid_argument"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "RocksDB \(code.rawValue): \(message)" }
}

extension RocksDBError: Equatable {
    public static func == (lhs: RocksDBError, rhs: RocksDBError) -> Bool { lhs.code == rhs.code }
}
