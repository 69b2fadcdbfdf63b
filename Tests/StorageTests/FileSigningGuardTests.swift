import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import Storage
import Testing

/// SPEC §9 on disk: what the key signed survives the process; conflicts are refused after a reopen; a
/// damaged or foreign state file stops the guard instead of being ignored.
struct FileSigningGuardTests {
    static let chain = ChainID("civic-test")!
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
            chainID: chain
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
