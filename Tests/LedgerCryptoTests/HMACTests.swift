import LedgerCrypto
import Testing

/// HMAC over both suites' hashes: RFC 4231 vectors for SHA-256, and the same inputs under SM3 as computed by
/// OpenSSL 3 (`openssl dgst -sm3 -mac HMAC -macopt hexkey:…`), an implementation independent of ours.
struct HMACTests {
    @Test(arguments: [
        (
            "4a656665", "what do ya want for nothing?", "sha256",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            String(repeating: "0b", count: 20), "Hi There", "sha256",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            String(repeating: "aa", count: 131), "Test Using Larger Than Block-Size Key - Hash Key First", "sha256",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            "4a656665", "what do ya want for nothing?", "sm3",
            "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"
        ),
        (
            String(repeating: "aa", count: 131), "Test Using Larger Than Block-Size Key - Hash Key First", "sm3",
            "b4fd844e13342002f0b2e0690ea7741f1497d993a70494cea601e657bedf67a0"
        ),
    ])
    func matchesTheReferenceVectors(key: String, message: String, hash: String, expected: String) throws {
        let function: any HashFunction = hash == "sm3" ? SM3() : SHA256()
        let mac = HMAC(key: try #require(Hex.decode(key)), hash: function)
        #expect(mac.authenticate(Array(message.utf8)).hex == expected)
    }
}
