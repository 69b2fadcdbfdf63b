import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// The verification code printed on a certificate (`docs/privacy.md`): `ISSUER-SECRET`, read back exactly,
/// forgiving of case and surrounding spaces, refusing anything else; and the derivations it feeds.
struct VerificationCodeTests {
    let secret = CertificateSecret(bytes: Array(0..<16))!

    @Test func readsBackWhatItPrints() throws {
        for issuer in ["440000", "53100000500021676K", "DEPT-7"] {
            let code = VerificationCode(issuer: OrgID(issuer)!, secret: secret)
            #expect(code.description == issuer + "-000102030405060708090a0b0c0d0e0f")
            #expect(VerificationCode(code.description) == code)
            #expect(VerificationCode("  " + code.description.uppercased() + "\n")?.secret == secret)
        }
    }

    @Test func refusesWhatIsNotACode() {
        let hex = "000102030405060708090a0b0c0d0e0f"
        for text in [
            "", hex, "440000", "440000-", "-" + hex, "440000-" + hex.dropLast(2), "440000-" + hex + "00",
            "440000-" + hex.dropLast() + "g", "44 00-" + hex, "440000_" + hex,
        ] {
            #expect(VerificationCode(String(text)) == nil, "\(text)")
        }
    }

    /// Each input changes the key or the commitment; the secret is in both, the number only in the key.
    @Test func derivationsBindEveryInput() {
        let hash = SHA256()
        let other = CertificateSecret(bytes: Array(1...16))!
        let key = CertificateAnchor.key(number: "GD-1", secret: secret, hash: hash)
        #expect(key != CertificateAnchor.key(number: "GD-2", secret: secret, hash: hash))
        #expect(key != CertificateAnchor.key(number: "GD-1", secret: other, hash: hash))
        let digest = Digest.of("document")
        let commitment = CertificateAnchor.documentCommitment(documentDigest: digest, secret: secret, hash: hash)
        #expect(
            commitment != CertificateAnchor.documentCommitment(documentDigest: .of("other"), secret: secret, hash: hash)
        )
        #expect(commitment != CertificateAnchor.documentCommitment(documentDigest: digest, secret: other, hash: hash))
        #expect(commitment != key && commitment != digest)
        // Drawn secrets differ.
        var random = SeededGenerator(seed: 1)
        #expect(CertificateSecret.random(using: &random) != CertificateSecret.random(using: &random))
    }
}
