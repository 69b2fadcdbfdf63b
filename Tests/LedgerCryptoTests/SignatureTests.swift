import LedgerCrypto
import Testing

/// Properties both suites must have, run against each.
struct SignatureTests {
    static let suites: [CryptoSuiteID] = CryptoSuiteID.allCases

    @Test(arguments: suites)
    func signAndVerifyRoundTrip(id: CryptoSuiteID) throws {
        let suite = id.suite
        let key = try suite.generatePrivateKey()
        let message = Array("certificate digest".utf8)
        let signature = try suite.sign(message, with: key)
        #expect(signature.bytes.count == 64)
        #expect(suite.verify(signature, of: message, by: key.publicKey))
        #expect(!suite.verify(signature, of: message + [0], by: key.publicKey))
        #expect(!suite.verify(signature, of: message, by: try suite.generatePrivateKey().publicKey))
        for index in [0, 31, 32, 63] {
            var altered = signature.bytes
            altered[index] ^= 0x40
            #expect(!suite.verify(try Signature(bytes: altered), of: message, by: key.publicKey))
        }
        #expect(!suite.verify(try Signature(bytes: [UInt8](repeating: 0, count: 64)), of: message, by: key.publicKey))
    }

    @Test(arguments: suites)
    func publicKeySizesAndImport(id: CryptoSuiteID) throws {
        let suite = id.suite
        let key = try suite.generatePrivateKey()
        #expect(key.publicKey.bytes.count == (id == .secp256k1SHA256 ? 33 : 65))
        #expect(try suite.publicKey(hex: key.publicKey.hex) == key.publicKey)
        #expect(key.publicKey.address.count == 40)
        var offCurve = key.publicKey.bytes
        offCurve[offCurve.count - 1] ^= 1
        if id == .sm2SM3 {
            #expect(throws: CryptoError(.invalidPublicKey, "")) { try suite.publicKey(encoded: offCurve) }
        }
        #expect(throws: CryptoError(.invalidPublicKey, "")) { try suite.publicKey(encoded: [4, 1, 2]) }
        #expect(throws: CryptoError(.invalidPublicKey, "")) { try suite.publicKey(hex: "xyz") }
    }

    @Test(arguments: suites)
    func invalidPrivateScalarsAreRefused(id: CryptoSuiteID) {
        let suite = id.suite
        #expect(throws: CryptoError(.invalidPrivateKey, "")) {
            try suite.privateKey(scalar: [UInt8](repeating: 0, count: 32))
        }
        #expect(throws: CryptoError(.invalidPrivateKey, "")) {
            try suite.privateKey(scalar: [UInt8](repeating: 0xff, count: 32))
        }
        #expect(throws: CryptoError(.invalidPrivateKey, "")) { try suite.privateKey(scalar: [1]) }
    }

    @Test(arguments: suites)
    func keysOfAnotherSuiteAreRefused(id: CryptoSuiteID) throws {
        let other: CryptoSuiteID = id == .sm2SM3 ? .secp256k1SHA256 : .sm2SM3
        let key = try other.suite.generatePrivateKey()
        #expect(throws: CryptoError(.suiteMismatch, "")) { try id.suite.sign([1], with: key) }
        let signature = try other.suite.sign([1], with: key)
        #expect(!id.suite.verify(signature, of: [1], by: key.publicKey))
    }

    /// secp256k1: deterministic (RFC 6979) and low-S; the high-S twin (r, n − s) of a valid signature is refused.
    @Test func secp256k1IsDeterministicAndLowS() throws {
        let suite = Secp256k1SHA256Suite.shared
        let key = try suite.privateKey(scalar: Hex.decode(String(repeating: "11", count: 32))!)
        let message = Array("abc".utf8)
        let first = try suite.sign(message, with: key)
        #expect(try suite.sign(message, with: key) == first)
        let order = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        let s = Array(first.bytes[32...])
        #expect(
            s.lexicographicallyPrecedes(Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1")!)
        )
        let highS = subtract(order, s)
        #expect(!suite.verify(try Signature(bytes: Array(first.bytes[..<32]) + highS), of: message, by: key.publicKey))
    }

    @Test func uncompressedSecp256k1KeysAreNormalised() throws {
        let generator =
            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
        let key = try Secp256k1SHA256Suite.shared.publicKey(hex: generator)
        #expect(key.hex == "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    }

    @Test func suiteNamesAreExact() throws {
        #expect(try CryptoSuiteID(named: "secp256k1-sha256") == .secp256k1SHA256)
        #expect(try CryptoSuiteID(named: "sm2-sm3") == .sm2SM3)
        #expect(throws: CryptoError(.unknownSuite, "")) { try CryptoSuiteID(named: "SM2") }
    }

    @Test func signatureLengthIsEnforced() {
        #expect(throws: CryptoError(.invalidSignature, "")) { try Signature(bytes: [1, 2, 3]) }
        #expect(throws: CryptoError(.invalidSignature, "")) { try Signature(hex: "zz") }
    }

    private func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var value = Int(a[index]) - Int(b[index]) - borrow
            borrow = value < 0 ? 1 : 0
            if value < 0 { value += 256 }
            result[index] = UInt8(value)
        }
        return result
    }
}
