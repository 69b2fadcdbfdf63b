import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import Storage
import Testing

/// SPEC §10 on disk: inputs survive reopening; a record torn by a crash is dropped, anything else that does
/// not read back refuses to open; heights only move forward and old heights' files go.
struct FileConsensusWALTests {
    static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("civic-wal-\(UUID().uuidString)").path
    }

    static let events: [ConsensusEvent] = (0..<20).map { index -> ConsensusEvent in
        if index % 3 == 0 { return .timeout(ConsensusTimeout(height: 7, round: UInt32(index), step: .prevote)) }
        let hash: Digest = SHA256().hash(utf8: "block \(index)")
        return .blockValidated(hash, valid: index % 2 == 0)
    }

    /// A log at `path` holding `events` for height 7.
    static func writeLog(at path: String) throws {
        let wal = try FileConsensusWAL(directory: path)
        try wal.begin(height: 7)
        for event in events { try wal.append(event) }
    }

    @Test func inputsSurviveReopening() throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let wal = try FileConsensusWAL(directory: path)
            #expect(wal.height == nil)
            try wal.begin(height: 7)
            for event in Self.events { try wal.append(event) }
        }
        let reopened = try FileConsensusWAL(directory: path)
        #expect(reopened.height == 7)
        #expect(try reopened.events(height: 7) == Self.events)
        #expect(try reopened.events(height: 8).isEmpty)
        #expect(reopened.truncatedBytes == 0)
        // Appends continue the same file.
        try reopened.append(.blockBuilt(SHA256().hash(utf8: "x")))
        #expect(try FileConsensusWAL(directory: path).events(height: 7).count == Self.events.count + 1)
    }

    /// Cut the file at every byte of its last record (what a crash mid-append leaves), or garble that
    /// record: the log reopens with the earlier records and drops the torn one.
    @Test func aTornLastRecordIsDropped() throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.writeLog(at: path)
        let file = path + "/height-7.wal"
        let whole = try #require(FileManager.default.contents(atPath: file))
        let lastRecord = 8 + Self.events[Self.events.count - 1].canonicalBytes.count
        for cut in (whole.count - lastRecord)..<whole.count {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: file))
            let wal = try FileConsensusWAL(directory: path)
            #expect(try wal.events(height: 7) == Array(Self.events.dropLast()), "cut at \(cut)")
            #expect(wal.truncatedBytes == cut - (whole.count - lastRecord))
        }
        var garbled = whole
        garbled[garbled.count - 1] ^= 0xFF
        try garbled.write(to: URL(fileURLWithPath: file))
        #expect(try FileConsensusWAL(directory: path).events(height: 7) == Array(Self.events.dropLast()))
        // Zero-filled blocks after the last record (a crash before the append was synced) go the same way.
        try (whole + Data(repeating: 0, count: 4096)).write(to: URL(fileURLWithPath: file))
        #expect(try FileConsensusWAL(directory: path).events(height: 7) == Self.events)
        try garbled.write(to: URL(fileURLWithPath: file))
        _ = try FileConsensusWAL(directory: path)
        // The truncation is durable: the file now ends after the last good record.
        #expect(try #require(FileManager.default.contents(atPath: file)).count == whole.count - lastRecord)
    }

    @Test func damageBeforeTheLastRecordRefusesToOpen() throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.writeLog(at: path)
        let file = path + "/height-7.wal"
        var bytes = try #require(FileManager.default.contents(atPath: file))
        bytes[12] ^= 0x01  // inside the first record's payload
        try bytes.write(to: URL(fileURLWithPath: file))
        #expect {
            _ = try FileConsensusWAL(directory: path)
        } throws: { error in
            guard case ConsensusWALError.corrupt(_, let offset, _) = error else { return false }
            return offset == 0
        }
        // A length no record can have is corruption too.
        bytes = try #require(FileManager.default.contents(atPath: file))
        bytes.replaceSubrange(0..<4, with: [0x7F, 0, 0, 0])
        try bytes.write(to: URL(fileURLWithPath: file))
        #expect(throws: ConsensusWALError.self) { _ = try FileConsensusWAL(directory: path) }
    }

    @Test func heightsMoveForwardAndOldFilesGo() throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let wal = try FileConsensusWAL(directory: path)
        try wal.begin(height: 3)
        try wal.append(Self.events[0])
        try wal.begin(height: 4)
        #expect(try wal.events(height: 4).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["height-4.wal"])
        #expect(throws: ConsensusWALError.self) { try wal.begin(height: 4) }
        #expect(throws: ConsensusWALError.self) { try wal.begin(height: 2) }
    }
}
