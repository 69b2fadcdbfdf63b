import Consensus
import LedgerCore
import LedgerCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The consensus write-ahead log on disk (SPEC §10): one file per height, `height-<h>.wal`, in a directory of
/// its own. Each record is `length (UInt32, big-endian) ‖ check (first 4 bytes of SHA-256 of the payload) ‖
/// payload (the canonical encoding of the input)`, appended and synced with `fdatasync` before `append`
/// returns. Beginning a height creates its file, syncs the directory, then removes older heights' files.
///
/// On open, a record cut short or garbled at the very end, or zeros after the last record — what a crash
/// during `append` leaves — is truncated away: that input was never acknowledged, so the engine never saw
/// it. Anything else that does not read back is corruption and refuses to open.
public final class FileConsensusWAL: ConsensusWAL {
    /// A single input is a few hundred bytes; a record claiming more is garbage.
    static let maximumRecordSize = 64 * 1024
    static let headerSize = 8

    public let directory: String
    public private(set) var height: UInt64?
    private var logged: [ConsensusEvent] = []
    private var descriptor: Int32 = -1
    /// Bytes the current file ended with when opened, truncated as a torn tail (0 when clean).
    public private(set) var truncatedBytes = 0

    /// Opens (creating if needed) the log in `directory`.
    public init(directory: String) throws(ConsensusWALError) {
        self.directory = directory
        do { try DurableFile.createDirectory(directory) } catch { throw .io(error.description) }
        guard let newest = try Self.heights(in: directory).max() else { return }
        let path = path(for: newest)
        let bytes: [UInt8]
        do { bytes = try DurableFile.contents(of: path) ?? [] } catch { throw .io(error.description) }
        let (events, validLength) = try Self.decode(bytes, file: path)
        try openForAppend(path)
        if validLength < bytes.count {
            guard ftruncate(descriptor, off_t(validLength)) == 0, fsync(descriptor) == 0 else {
                throw .io(FileSystemError("truncate", path).description)
            }
            truncatedBytes = bytes.count - validLength
        }
        height = newest
        logged = events
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public func events(height: UInt64) throws(ConsensusWALError) -> [ConsensusEvent] {
        self.height == height ? logged : []
    }

    public func begin(height: UInt64) throws(ConsensusWALError) {
        if let current = self.height, current >= height { throw .heightOrder(logged: current, requested: height) }
        let path = path(for: height)
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        try openForAppend(path, truncate: true)
        do { try DurableFile.syncDirectory(directory) } catch { throw .io(error.description) }
        self.height = height
        logged = []
        for old in try Self.heights(in: directory) where old < height {
            unlink(self.path(for: old))
        }
    }

    public func append(_ event: ConsensusEvent) throws(ConsensusWALError) {
        guard descriptor >= 0, let height else { throw .io("append before any height began") }
        let payload = event.canonicalBytes
        var record: [UInt8] = []
        record.reserveCapacity(Self.headerSize + payload.count)
        let length = UInt32(payload.count)
        for shift in stride(from: 24, through: 0, by: -8) { record.append(UInt8(truncatingIfNeeded: length >> shift)) }
        record += Self.check(payload)
        record += payload
        do { try DurableFile.writeAll(descriptor, record, path(for: height)) } catch { throw .io(error.description) }
        guard fdatasync(descriptor) == 0 else { throw .io(FileSystemError("fdatasync", path(for: height)).description) }
        logged.append(event)
    }

    // MARK: - Files

    private func path(for height: UInt64) -> String { directory + "/height-\(height).wal" }

    private func openForAppend(_ path: String, truncate: Bool = false) throws(ConsensusWALError) {
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw .io(FileSystemError("open", path).description) }
    }

    static func heights(in directory: String) throws(ConsensusWALError) -> [UInt64] {
        guard let handle = opendir(directory) else { throw .io(FileSystemError("opendir", directory).description) }
        defer { closedir(handle) }
        var heights: [UInt64] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix("height-"), name.hasSuffix(".wal"),
                let height = UInt64(name.dropFirst("height-".count).dropLast(".wal".count))
            else { continue }
            heights.append(height)
        }
        return heights
    }

    static func check(_ payload: [UInt8]) -> [UInt8] { Array(SHA256().hash(payload).bytes.prefix(4)) }

    /// The inputs in `bytes` and the length of the part that reads back. Only the last record may be bad.
    static func decode(_ bytes: [UInt8], file: String) throws(ConsensusWALError) -> ([ConsensusEvent], Int) {
        var events: [ConsensusEvent] = []
        var offset = 0
        while offset < bytes.count {
            // A crash before an append was synced can leave zero-filled blocks at the end: nothing acknowledged.
            if bytes[offset...].allSatisfy({ $0 == 0 }) { break }
            let remaining = bytes.count - offset
            guard remaining >= headerSize else { break }  // torn header
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard length <= maximumRecordSize else {
                throw .corrupt(file: file, offset: offset, reason: "record claims \(length) bytes")
            }
            let end = offset + headerSize + length
            guard end <= bytes.count else { break }  // torn payload
            let payload = Array(bytes[offset + headerSize..<end])
            let isLast = end == bytes.count
            guard Array(bytes[offset + 4..<offset + 8]) == check(payload) else {
                if isLast { break }  // garbled by the interrupted write
                throw .corrupt(file: file, offset: offset, reason: "checksum mismatch")
            }
            do { events.append(try ConsensusEvent(canonicalBytes: payload)) } catch {
                throw .corrupt(file: file, offset: offset, reason: error.description)
            }
            offset = end
        }
        return (events, offset)
    }
}
