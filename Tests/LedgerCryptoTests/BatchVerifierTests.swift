import LedgerCrypto
import Testing

struct BatchVerifierTests {
    @Test(arguments: CryptoSuiteID.allCases)
    func verdictsMatchSingleVerificationInOrder(id: CryptoSuiteID) throws {
        let suite = id.suite
        let keys = try (0..<3).map { _ in try suite.generatePrivateKey() }
        var checks: [SignatureCheck] = []
        var expected: [Bool] = []
        for index in 0..<61 {
            let key = keys[index % keys.count]
            let message = Array("record \(index)".utf8)
            let signature = try suite.sign(message, with: key)
            let valid = index % 5 != 0
            checks.append(
                SignatureCheck(
                    message: valid ? message : message + [1],
                    signature: signature,
                    publicKey: key.publicKey
                )
            )
            expected.append(valid)
        }
        #expect(BatchVerifier.verify(checks, suite: suite) == expected)
        #expect(BatchVerifier.verify(checks, suite: suite, cores: 1) == expected)
        #expect(BatchVerifier.verify([], suite: suite).isEmpty)
    }
}
