#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed file-system call, with the path and the operating system's reason.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let reason: String

    init(_ operation: String, _ path: String, errno code: Int32 = errno) {
        self.operation = operation
        self.path = path
        reason = String(cString: strerror(code))
    }

    public var description: String { "\(operation) \(path): \(reason)" }
}

/// The few file operations durable state needs, each synced before it returns: an append-only file, an
/// atomic whole-file replace, and directory syncs so that creations, renames and removals survive power loss.
enum DurableFile {
    /// Reads a whole file; nil when it does not exist.
    static func contents(of path: String) throws(FileSystemError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw FileSystemError("open", path)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("read", path)
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Replaces `path` with `bytes` so that a crash leaves either the old or the new content: write a
    /// temporary file, sync it, rename it over the old one, sync the directory.
    static func replace(_ path: String, with bytes: [UInt8]) throws(FileSystemError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystemError("create", temporary) }
        defer { close(descriptor) }
        try writeAll(descriptor, bytes, temporary)
        guard fsync(descriptor) == 0 else { throw FileSystemError("fsync", temporary) }
        guard rename(temporary, path) == 0 else { throw FileSystemError("rename", temporary) }
        try syncDirectory(of: path)
    }

    /// Syncs the directory holding `path`, making a creation, rename or removal in it durable.
    static func syncDirectory(of path: String) throws(FileSystemError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        try syncDirectory(directory.isEmpty ? "/" : directory)
    }

    static func syncDirectory(_ directory: String) throws(FileSystemError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError("open", directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileSystemError("fsync", directory) }
    }

    static func createDirectory(_ path: String) throws(FileSystemError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw FileSystemError("mkdir", path) }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], _ path: String) throws(FileSystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("write", path)
            }
            offset += written
        }
    }
}
