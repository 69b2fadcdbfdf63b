import Foundation
import LedgerTestSupport
import Storage
import Testing

/// The RocksDB wrapper against a real database in a temporary directory.
struct RocksDBTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func putGetDeleteAcrossColumnFamilies() throws {
        let directory = TemporaryDirectory()
        let db = try RocksDB(path: directory.path, columns: ["blocks", "state"])
        #expect(db.columnNames == ["default", "blocks", "state"])
        try db.put(bytes("k"), bytes("in blocks"), column: "blocks", sync: true)
        try db.put(bytes("k"), bytes("in state"), column: "state")
        #expect(try db.get(bytes("k"), column: "blocks") == bytes("in blocks"))
        #expect(try db.get(bytes("k"), column: "state") == bytes("in state"))
        #expect(try db.get(bytes("k")) == nil)
        try db.delete(bytes("k"), column: "blocks")
        #expect(try db.get(bytes("k"), column: "blocks") == nil)
        try db.put([], [], column: "state")
        #expect(try db.get([], column: "state") == [])
        #expect(throws: RocksDBError(.unknownColumn, "")) { try db.get(bytes("k"), column: "nope") }
    }

    @Test func valuesSurviveReopenAndColumnsAreKept() throws {
        let directory = TemporaryDirectory()
        do {
            let db = try RocksDB(path: directory.path, columns: ["a", "b"])
            var batch = RocksDBWriteBatch()
            for index in 0..<100 { batch.put(bytes("key\(index)"), bytes("value\(index)"), column: "b") }
            try db.write(batch, sync: true)
            db.close()
        }
        // Opening without naming the column families still opens them: none is dropped by omission.
        let db = try RocksDB(path: directory.path)
        #expect(Set(db.columnNames) == ["default", "a", "b"])
        #expect(try db.get(bytes("key42"), column: "b") == bytes("value42"))
    }

    @Test func writeBatchIsAtomicAndRejectsUnknownColumnsWhole() throws {
        let directory = TemporaryDirectory()
        let db = try RocksDB(path: directory.path, columns: ["a"])
        var batch = RocksDBWriteBatch()
        batch.put(bytes("x"), bytes("1"), column: "a")
        batch.put(bytes("y"), bytes("2"), column: "missing")
        #expect(throws: RocksDBError(.unknownColumn, "")) { try db.write(batch, sync: true) }
        #expect(try db.get(bytes("x"), column: "a") == nil)
        var good = RocksDBWriteBatch()
        good.put(bytes("x"), bytes("1"), column: "a")
        good.put(bytes("y"), bytes("2"), column: "a")
        good.delete(bytes("x"), column: "a")
        try db.write(good, sync: true)
        #expect(try db.get(bytes("x"), column: "a") == nil)
        #expect(try db.get(bytes("y"), column: "a") == bytes("2"))
    }

    @Test func iterationByRangeAndPrefixIsOrderedAndBounded() throws {
        let directory = TemporaryDirectory()
        let db = try RocksDB(path: directory.path)
        var batch = RocksDBWriteBatch()
        for key in ["a1", "a2", "a3", "b1", "b2", "c"] { batch.put(bytes(key), bytes("v" + key)) }
        batch.put([0x61, 0xff], [1])
        batch.put([0x61, 0xff, 0xff], [2])
        try db.write(batch, sync: false)

        var seen: [String] = []
        try db.forEach(in: .prefix(bytes("b"))) { key, _ in
            seen.append(String(decoding: key, as: UTF8.self))
            return true
        }
        #expect(seen == ["b1", "b2"])

        var prefixed: [[UInt8]] = []
        try db.forEach(in: .prefix([0x61, 0xff])) { key, _ in
            prefixed.append(key)
            return true
        }
        #expect(prefixed == [[0x61, 0xff], [0x61, 0xff, 0xff]])

        seen = []
        try db.forEach(in: RocksDBKeyRange(start: bytes("a2"), end: bytes("b2"))) { key, value in
            #expect(value.count > 0)
            seen.append(String(decoding: key, as: UTF8.self))
            return true
        }
        #expect(seen.first == "a2" && seen.last == "b1" && !seen.contains("b2"))

        var count = 0
        try db.forEach { _, _ in
            count += 1
            return count < 3
        }
        #expect(count == 3)
    }

    @Test func deleteRangeRemovesExactlyTheRange() throws {
        let directory = TemporaryDirectory()
        let db = try RocksDB(path: directory.path)
        for index in 0..<10 { try db.put([UInt8(index)], [1]) }
        var batch = RocksDBWriteBatch()
        batch.deleteRange(from: [3], to: [7])
        try db.write(batch, sync: true)
        var left: [UInt8] = []
        try db.forEach { key, _ in
            left.append(key[0])
            return true
        }
        #expect(left == [0, 1, 2, 7, 8, 9])
        var backwards = RocksDBWriteBatch()
        backwards.deleteRange(from: [9], to: [1])
        #expect(throws: RocksDBError(.invalidArgument, "")) { try db.write(backwards, sync: false) }
    }

    @Test func snapshotSeesThePastAndExpires() throws {
        let directory = TemporaryDirectory()
        let db = try RocksDB(path: directory.path)
        try db.put(bytes("k"), bytes("old"))
        var escaped: RocksDBSnapshot?
        try db.withSnapshot { snapshot in
            escaped = snapshot
            try db.put(bytes("k"), bytes("new"))
            try db.put(bytes("k2"), bytes("later"))
            #expect(try snapshot.get(bytes("k")) == bytes("old"))
            var keys = 0
            try snapshot.forEach { _, _ in
                keys += 1
                return true
            }
            #expect(keys == 1)
        }
        #expect(try db.get(bytes("k")) == bytes("new"))
        #expect(throws: RocksDBError(.closed, "")) { try escaped?.get(bytes("k")) }
    }

    @Test func closedDatabaseRefusesCallsAndLockIsReleased() throws {
        let directory = TemporaryDirectory()
        let db = try RocksDB(path: directory.path)
        try db.put(bytes("k"), bytes("v"))
        // A second handle on the same directory is refused while the first holds RocksDB's lock.
        #expect(throws: RocksDBError(.native, "")) { try RocksDB(path: directory.path) }
        db.close()
        db.close()
        #expect(throws: RocksDBError(.closed, "")) { try db.get(bytes("k")) }
        #expect(throws: RocksDBError(.closed, "")) { try db.put(bytes("k"), bytes("v")) }
        let reopened = try RocksDB(path: directory.path)
        #expect(try reopened.get(bytes("k")) == bytes("v"))
    }

    @Test func missingDatabaseWithoutCreateIsAnError() {
        var options = RocksDBOptions()
        options.createIfMissing = false
        #expect(throws: RocksDBError(.native, "")) {
            try RocksDB(path: "/nonexistent/civic/\(UUID().uuidString)", options: options)
        }
    }

    @Test func concurrentReadersAndWritersWithClose() async throws {
        let directory = TemporaryDirectory()
        let db = try RocksDB(path: directory.path)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<500 {
                        let key = Array("w\(worker)-\(index)".utf8)
                        try? db.put(key, key)
                        _ = try? db.get(key)
                    }
                }
            }
        }
        var count = 0
        try db.forEach { _, _ in
            count += 1
            return true
        }
        #expect(count == 2000)
        db.close()
    }
}
