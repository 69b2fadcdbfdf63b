import LedgerCore
import LedgerCrypto
import Testing

/// A cached reader reads each key of its base once — present or absent — and returns what the base holds.
struct CachedStateReaderTests {
    /// Counts the reads that reach it.
    final class CountingState: StateReader {
        let base: InMemoryState
        var reads: [Digest: Int] = [:]
        init(_ base: InMemoryState) { self.base = base }
        func value(at key: Digest) throws(StateReadError) -> [UInt8]? {
            reads[key, default: 0] += 1
            return try base.value(at: key)
        }
    }

    @Test func eachKeyReachesTheBaseOnce() throws {
        let present = SHA256().hash(utf8: "present")
        let absent = SHA256().hash(utf8: "absent")
        var state = InMemoryState()
        state.apply([StateWrite(key: present, value: [1, 2, 3])])
        let counting = CountingState(state)
        let cached = CachedStateReader(counting)
        for _ in 0..<3 {
            #expect(try cached.value(at: present) == [1, 2, 3])
            #expect(try cached.value(at: absent) == nil)
        }
        #expect(counting.reads == [present: 1, absent: 1])
    }
}
