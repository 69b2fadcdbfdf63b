import Foundation
import LedgerCrypto
import Testing

/// TLS identities: OpenSSL's own tools read the certificate, and the pin is the SHA-256 of the key's DER
/// SubjectPublicKeyInfo exactly as `openssl pkey -pubin -outform DER | sha256sum` computes it.
struct TLSIdentityTests {
    /// Runs `script` under /bin/sh with `certificate` in a temporary file named by $CERT.
    func shell(_ script: String, certificate: String) throws -> (status: Int32, output: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString).pem")
        try certificate.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = ["CERT": path.path, "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func opensslReadsTheCertificateAndComputesTheSamePin() throws {
        let identity = try TLSIdentity.generate(commonName: "node 440000")
        let subject = try shell("openssl x509 -noout -subject -in \"$CERT\"", certificate: identity.certificatePEM)
        #expect(subject.status == 0)
        #expect(subject.output.contains("CN = node 440000"))
        let pin = try shell(
            "openssl x509 -pubkey -noout -in \"$CERT\" | openssl pkey -pubin -outform DER | sha256sum",
            certificate: identity.certificatePEM
        )
        #expect(pin.output.hasPrefix(identity.keyPin.hex))
        let algorithm = try shell("openssl x509 -noout -text -in \"$CERT\"", certificate: identity.certificatePEM)
        #expect(algorithm.output.contains("prime256v1"))
        #expect(algorithm.output.contains("ecdsa-with-SHA256"))
    }

    @Test func renewalKeepsTheKeyAndItsPin() throws {
        let identity = try TLSIdentity.generate(commonName: "node")
        let renewed = try identity.renewed(commonName: "node, renewed")
        #expect(renewed.keyPin == identity.keyPin)
        #expect(renewed.privateKeyPEM == identity.privateKeyPEM)
        #expect(renewed.certificatePEM != identity.certificatePEM)
        #expect(try TLSIdentity.generate(commonName: "node").keyPin != identity.keyPin)
    }

    @Test func aKeyThatIsNotAnECPrivateKeyIsRefused() throws {
        let garbage = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
        #expect(throws: CryptoError(.invalidPrivateKey, "")) {
            try TLSIdentity(certificatePEM: "", privateKeyPEM: garbage)
        }
        let identity = try TLSIdentity.generate(commonName: "node")
        let reread = try TLSIdentity(certificatePEM: identity.certificatePEM, privateKeyPEM: identity.privateKeyPEM)
        #expect(reread == identity)
    }
}
