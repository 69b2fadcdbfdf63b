import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import Storage
import Testing

/// SPEC §9 on disk: what the key signed survives the process; conflicts are refused after a reopen; a
/// damaged or foreign state file stops the guard instead of being ignored.
struct FileSigningGuardTests {
    static let chain = NetworkID(chainID: ChainID("civic-test")!, genesisHash: .zero)
    static let key = try! CryptoSuiteID.secp256k1SHA256.suite.privateKey(scalar: [UInt8](repeating: 0, count: 31) + [1])
    static let otherKey = try! CryptoSuiteID.secp256k1SHA256.suite.privateKey(
        scalar: [UInt8](repeating: 0, count: 31) + [2]
    )

    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("civic-guard-\(UUID().uuidString)").path
    }

    static func prevote(_ round: UInt32, _ hash: Digest?) -> SigningRequest {
        SigningRequest(
            Vote(type: .prevote, height: 5, round: round, blockHash: hash, validatorIndex: 0),
            network: chain
        )
    }

    @Test func signaturesAreRecordedBeforeTheyAreReturned() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let block = SHA256().hash(utf8: "block")
        let signature = try FileSigningGuard(path: path, key: Self.key).sign(Self.prevote(1, block))
        #expect(Self.key.suite.suite.verify(signature, of: Self.prevote(1, block).signedBytes, by: Self.key.publicKey))

        let reopened = try FileSigningGuard(path: path, key: Self.key)
        #expect(reopened.last == SigningRecord(Self.prevote(1, block), signature: signature))
        #expect(try reopened.sign(Self.prevote(1, block)) == signature, "the same request gets the stored signature")
        #expect {
            try reopened.sign(Self.prevote(1, nil))
        } throws: { error in
            guard case SigningGuardError.refused = error else { return false }
            return true
        }
        #expect(throws: SigningGuardError.self) { try reopened.sign(Self.prevote(0, block)) }
        _ = try reopened.sign(Self.prevote(2, nil))
        #expect(try FileSigningGuard(path: path, key: Self.key).last?.round == 2)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func theJournalHoldsEachReleasedSignatureOnceAcrossReopens() throws {
        let path = Self.path()
        defer {
            for suffix in ["", ".journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let block = SHA256().hash(utf8: "block")
        let guardOne = try FileSigningGuard(path: path, key: Self.key, journal: SigningJournal(path: path + ".journal"))
        _ = try guardOne.sign(Self.prevote(1, block))
        _ = try guardOne.sign(Self.prevote(1, block))  // the stored signature again: no new line
        #expect(throws: SigningGuardError.self) { try guardOne.sign(Self.prevote(1, nil)) }  // refused: no line
        let guardTwo = try FileSigningGuard(path: path, key: Self.key, journal: SigningJournal(path: path + ".journal"))
        _ = try guardTwo.sign(Self.prevote(2, nil))
        let text = try String(contentsOfFile: path + ".journal", encoding: .utf8)
        #expect(text == "5 1 prevote \(block.hex)\n5 2 prevote nil\n")
        let entries = text.split(separator: "\n").compactMap { SigningJournal.Entry(line: $0) }
        #expect(
            entries == [
                SigningJournal.Entry(height: 5, round: 1, step: .prevote, blockHash: block),
                SigningJournal.Entry(height: 5, round: 2, step: .prevote, blockHash: nil),
            ]
        )
        #expect(SigningJournal.Entry(line: "5 2 prevo") == nil, "a torn line is not an entry")
    }

    /// A signature this key made elsewhere (an older copy of the validator) is adopted as durably as an own
    /// one: after a reopen the guard still refuses what conflicts with it. The journal lists only releases.
    @Test func aSignatureMadeElsewhereIsAdoptedDurablyAndNotJournaled() throws {
        let path = Self.path()
        defer {
            for suffix in ["", ".journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let block = SHA256().hash(utf8: "block")
        var olderCopy = InMemorySigningGuard(key: Self.key)
        let elsewhere = try olderCopy.sign(Self.prevote(3, block))
        let seen = SigningRecord(Self.prevote(3, block), signature: elsewhere)
        let fresh = try FileSigningGuard(path: path, key: Self.key, journal: SigningJournal(path: path + ".journal"))
        _ = try fresh.sign(Self.prevote(1, nil))
        #expect(try fresh.adopt(seen))
        #expect(try !fresh.adopt(seen), "adopted already: it is the guard's own position now")
        #expect(try !fresh.adopt(SigningRecord(Self.prevote(2, nil), signature: elsewhere)), "behind the position")

        let reopened = try FileSigningGuard(path: path, key: Self.key)
        #expect(reopened.last == seen)
        #expect(try reopened.sign(Self.prevote(3, block)) == elsewhere)
        #expect(throws: SigningGuardError.self) { try reopened.sign(Self.prevote(3, nil)) }
        #expect(try String(contentsOfFile: path + ".journal", encoding: .utf8) == "5 1 prevote nil\n")
    }

    @Test func aDamagedOrForeignStateFileStopsTheGuard() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try FileSigningGuard(path: path, key: Self.key).sign(Self.prevote(1, nil))
        #expect(throws: SigningGuardError.self) { _ = try FileSigningGuard(path: path, key: Self.otherKey) }

        let good = try #require(FileManager.default.contents(atPath: path))
        for index in [0, good.count / 2, good.count - 1] {
            var damaged = good
            damaged[index] ^= 0x10
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(throws: SigningGuardError.self, "byte \(index)") {
                _ = try FileSigningGuard(path: path, key: Self.key)
            }
        }
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: SigningGuardError.self) { _ = try FileSigningGuard(path: path, key: Self.key) }
    }
}
