import Foundation
import LedgerCrypto
import Testing

struct KeyFileTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("civic-key-\(UUID().uuidString).json").path
    }

    @Test(arguments: CryptoSuiteID.allCases)
    func writtenOwnerOnlyAndReadBack(id: CryptoSuiteID) throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try id.suite.generatePrivateKey()
        try KeyFile.write(key, to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let loaded = try KeyFile.read(from: path)
        #expect(loaded.publicKey == key.publicKey)
        let signature = try id.suite.sign([1, 2, 3], with: loaded)
        #expect(id.suite.verify(signature, of: [1, 2, 3], by: key.publicKey))
    }

    @Test func existingFileIsNotOverwritten() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try KeyFile.write(try Secp256k1SHA256Suite.shared.generatePrivateKey(), to: path)
        #expect(throws: CryptoError(.keyFileExists, "")) {
            try KeyFile.write(try Secp256k1SHA256Suite.shared.generatePrivateKey(), to: path)
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func groupOrWorldAccessIsRefused(mode: Int) throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try KeyFile.write(try SM2SM3Suite.shared.generatePrivateKey(), to: path)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        #expect(throws: CryptoError(.keyFileInsecure, "")) { try KeyFile.read(from: path) }
    }

    @Test func malformedFilesAreRefusedWithReasons() throws {
        let key = try Secp256k1SHA256Suite.shared.generatePrivateKey()
        let other = try Secp256k1SHA256Suite.shared.generatePrivateKey()
        let cases: [String] = [
            "",
            "[]",
            "{}",
            #"{"format":"civicledger-key/2","suite":"secp256k1-sha256","public_key":"","private_key":""}"#,
            #"{"format":"civicledger-key/1","suite":"secp256k1-sha256","public_key":"\#(other.publicKey.hex)","private_key":"00"}"#,
        ]
        for content in cases {
            #expect(throws: CryptoError(.keyFileMalformed, "")) { try KeyFile.parse(Array(content.utf8), source: "t") }
        }
        #expect(throws: CryptoError(.unknownSuite, "")) {
            try KeyFile.parse(
                Array(#"{"format":"civicledger-key/1","suite":"rsa","public_key":"","private_key":""}"#.utf8),
                source: "t"
            )
        }
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try KeyFile.write(key, to: path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: key.publicKey.hex, with: other.publicKey.hex)
        #expect(throws: CryptoError(.keyFileMalformed, "")) { try KeyFile.parse(Array(text.utf8), source: path) }
        #expect(throws: CryptoError(.keyFileUnreadable, "")) { try KeyFile.read(from: path + ".missing") }
    }
}
