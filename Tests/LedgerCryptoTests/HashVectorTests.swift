import LedgerCrypto
import Testing

/// Hash functions against the published examples of their standards.
struct HashVectorTests {
    /// FIPS 180-4 / NIST CSRC examples for SHA-256.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func sha256Examples(message: String, expected: String) {
        #expect(SHA256().hash(utf8: message).hex == expected)
    }

    @Test func sha256MillionA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256().hash(message).hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// GB/T 32905-2016 Appendix A examples for SM3.
    @Test func sm3Examples() {
        #expect(SM3().hash(utf8: "abc").hex == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        #expect(
            SM3().hash(utf8: String(repeating: "abcd", count: 16)).hex
                == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        )
    }

    @Test func suiteHashFunctions() {
        #expect(CryptoSuiteID.secp256k1SHA256.suite.hashFunction.name == "SHA-256")
        #expect(CryptoSuiteID.sm2SM3.suite.hashFunction.name == "SM3")
    }

    @Test func prefixedHashEqualsHashOfConcatenation() {
        let data: [UInt8] = [1, 2, 3, 4, 5]
        let left = SHA256().hash([9])
        let right = SHA256().hash([10])
        for hash in [SHA256() as any HashFunction, SM3()] {
            #expect(data.withUnsafeBytes { hash.hash(prefix: 7, $0) } == hash.hash([7] + data))
            #expect(hash.hash(prefix: 1, left, right) == hash.hash([1] + left.bytes + right.bytes))
            #expect([UInt8]().withUnsafeBytes { hash.hash(prefix: 0, $0) } == hash.hash([0]))
        }
    }

    @Test func digestParsingAndBits() throws {
        let digest = try #require(Digest(hex: "8000000000000000000000000000000000000000000000000000000000000001"))
        #expect(digest.bit(0))
        #expect(!digest.bit(1))
        #expect(digest.bit(255))
        #expect(!digest.bit(254))
        #expect(Digest(hex: "00") == nil)
        #expect(Digest(hex: String(repeating: "zz", count: 32)) == nil)
        #expect(Digest.zero < digest)
        #expect(Digest(bytes: digest.bytes) == digest)
    }

    @Test func hexIsTotal() {
        #expect(Hex.decode("0aFf") == [0x0a, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("") == [])
        #expect(Hex.encode([0, 255, 16]) == "00ff10")
    }
}
