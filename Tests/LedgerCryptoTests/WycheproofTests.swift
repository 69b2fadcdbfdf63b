import Foundation
import Testing

@testable import LedgerCrypto

/// Project Wycheproof ECDSA secp256k1/SHA-256 vectors (C2SP/wycheproof `testvectors_v1/`, Apache License 2.0),
/// copied from `shared/vectors/wycheproof/` into `Vectors/`.
///
/// The bitcoin variant encodes our rule exactly (high-S is invalid), so every case must give its expected
/// verdict. In the plain DER and P1363 files every "invalid" case must be rejected, and a "valid" case may be
/// rejected only because its s is high.
struct WycheproofTests {
    struct VectorFile: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }
    struct Group: Decodable {
        let publicKey: Key
        let sha: String
        let tests: [Case]
    }
    struct Key: Decodable { let uncompressed: String }
    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let msg: String
        let sig: String
        let result: String
    }

    /// Every vector file in `Vectors/` must be read by a test here.
    static let files = [
        "ecdsa_secp256k1_sha256_bitcoin_test.json",
        "ecdsa_secp256k1_sha256_test.json",
        "ecdsa_secp256k1_sha256_p1363_test.json",
    ]

    /// s > n/2 for secp256k1's order n.
    static let halfOrder = Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")!

    static func load(_ name: String) throws -> VectorFile {
        let url = try #require(Bundle.module.url(forResource: "Vectors/\(name)", withExtension: nil))
        return try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
    }

    /// Runs every case through our verifier; `compact` turns the vector's signature into `r ‖ s` or nil.
    static func verdicts(_ file: VectorFile, compact: ([UInt8]) -> [UInt8]?) throws -> [(Case, [UInt8]?, Bool)] {
        let suite = Secp256k1SHA256Suite.shared
        var results: [(Case, [UInt8]?, Bool)] = []
        for group in file.testGroups {
            #expect(group.sha == "SHA-256")
            let key = try suite.publicKey(encoded: try #require(Hex.decode(group.publicKey.uncompressed)))
            for test in group.tests {
                let message = try #require(Hex.decode(test.msg))
                let rs = Hex.decode(test.sig).flatMap(compact)
                let accepted = rs.map { suite.verify(try! Signature(bytes: $0), of: message, by: key) } ?? false
                results.append((test, rs, accepted))
            }
        }
        #expect(results.count == file.numberOfTests)
        return results
    }

    static func isHighS(_ rs: [UInt8]?) -> Bool {
        guard let rs else { return false }
        return Array(rs[32...]).lexicographicallyPrecedes(halfOrder) == false && Array(rs[32...]) != halfOrder
    }

    @Test func bitcoinVariantGivesEveryExpectedVerdict() throws {
        let results = try Self.verdicts(try Self.load(Self.files[0]), compact: DERSignature.decode)
        for (test, _, accepted) in results {
            #expect(accepted == (test.result == "valid"), "tcId \(test.tcId): \(test.comment)")
        }
        #expect(results.filter { $0.2 }.count == 162)
    }

    @Test func plainDERInvalidCasesAreRejectedAndOnlyHighSValidOnesAre() throws {
        try Self.checkPlain(try Self.load(Self.files[1]), compact: DERSignature.decode)
    }

    @Test func p1363InvalidCasesAreRejectedAndOnlyHighSValidOnesAre() throws {
        try Self.checkPlain(try Self.load(Self.files[2])) { $0.count == 64 ? $0 : nil }
    }

    static func checkPlain(_ file: VectorFile, compact: ([UInt8]) -> [UInt8]?) throws {
        let results = try verdicts(file, compact: compact)
        var highSRejected = 0
        for (test, rs, accepted) in results {
            if test.result == "invalid" {
                #expect(!accepted, "tcId \(test.tcId) must be rejected: \(test.comment)")
            } else if isHighS(rs) {
                #expect(!accepted, "tcId \(test.tcId) has a high s and must be rejected by the low-S rule")
                highSRejected += 1
            } else {
                #expect(accepted, "tcId \(test.tcId) is valid and low-S: \(test.comment)")
            }
        }
        // Half of the valid vectors, give or take, use the high s of the pair.
        #expect(highSRejected > 0)
        print("wycheproof: \(highSRejected) valid high-S cases rejected by the low-S rule")
    }

    @Test func everyVectorFileIsUsed() throws {
        let url = try #require(Bundle.module.url(forResource: "Vectors", withExtension: nil))
        let present = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        #expect(present == Self.files.sorted())
    }
}
