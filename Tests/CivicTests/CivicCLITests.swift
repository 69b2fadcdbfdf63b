import Foundation
import LedgerCore
import LedgerCrypto
import Testing

/// The `civic` helpers as a user runs them, cross-checked with tools nobody here wrote (sha256sum, openssl).
@Suite(.serialized)
struct CivicCLITests {
    @Test func hashMatchesSha256sumAndOpenSSLSM3() async throws {
        let scratch = try Scratch()
        let file = try scratch.write("doc.txt", "marriage certificate 2026-0001\n")
        let ours = try await CLIRunner.civic("hash", file)
        #expect(ours.status == 0)
        #expect(ours.stdout == (try await CLIRunner.tool("sha256sum", [file])).stdout)
        let sm3 = try await CLIRunner.civic("hash", "--suite", "sm2-sm3", file)
        let openssl = try await CLIRunner.tool("openssl", ["dgst", "-sm3", "-r", file])
        #expect(sm3.stdout.split(separator: " ").first == openssl.stdout.split(separator: " ").first)
        let piped = try await CLIRunner.civic("hash", "-", stdin: Array("abc".utf8))
        #expect(piped.stdout == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n")
    }

    @Test func usageAndInputErrorsExitTwoWithAMessage() async throws {
        let missing = try await CLIRunner.civic("hash", "/nonexistent/file")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"))
        #expect(try await CLIRunner.civic("hash").status == 2)
        #expect(try await CLIRunner.civic("frobnicate").status == 2)
        #expect(try await CLIRunner.civic("hash", "--suite", "rsa", "x").status == 2)
        let help = try await CLIRunner.civic("--help")
        #expect(help.status == 0 && help.stdout.contains("verify-signature"))
    }

    @Test(arguments: ["secp256k1-sha256", "sm2-sm3"])
    func keysSignVerifyRoundTrip(suite: String) async throws {
        let scratch = try Scratch()
        let keyFile = scratch.path("k.json")
        let created = try await CLIRunner.civic("keys", "new", "--suite", suite, "--out", keyFile)
        #expect(created.status == 0)
        let publicKey = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(publicKey.count == (suite == "sm2-sm3" ? 130 : 66))
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try await CLIRunner.civic("keys", "show", keyFile).stdout == created.stdout)
        #expect(try await CLIRunner.civic("keys", "new", "--suite", suite, "--out", keyFile).status == 2)

        let document = try scratch.write("doc.pdf", "a marriage e-certificate")
        let signed = try await CLIRunner.civic("sign", "--key", keyFile, document)
        #expect(signed.status == 0)
        let signature = signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(signature.count == 128)
        let valid = try await CLIRunner.civic(
            "verify-signature",
            "--suite",
            suite,
            "--public-key",
            publicKey,
            "--signature",
            signature,
            document
        )
        #expect(valid.status == 0)
        let other = try scratch.write("other.pdf", "a different certificate")
        let invalid = try await CLIRunner.civic(
            "verify-signature",
            "--suite",
            suite,
            "--public-key",
            publicKey,
            "--signature",
            signature,
            other
        )
        #expect(invalid.status == 1)
        let garbage = try await CLIRunner.civic(
            "verify-signature",
            "--suite",
            suite,
            "--public-key",
            "zz",
            "--signature",
            signature,
            document
        )
        #expect(garbage.status == 2)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        let insecure = try await CLIRunner.civic("sign", "--key", keyFile, document)
        #expect(insecure.status == 2 && insecure.stderr.contains("chmod 600"))
    }

    /// Our signatures verify with OpenSSL's own command line: SM2 with SM3 and the default ID, and
    /// secp256k1 ECDSA over SHA-256.
    @Test(arguments: ["secp256k1-sha256", "sm2-sm3"])
    func signaturesVerifyWithOpenSSL(suite: String) async throws {
        let scratch = try Scratch()
        let keyFile = scratch.path("k.json")
        let publicKey = try await CLIRunner.civic("keys", "new", "--suite", suite, "--out", keyFile).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let document = try scratch.write("doc.txt", "certificate number 44010020260001")
        let signature = try await CLIRunner.civic("sign", "--key", keyFile, document).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let spkiPrefix =
            suite == "sm2-sm3"
            ? "3059301306072a8648ce3d020106082a811ccf5501822d034200"
            : "3036301006072a8648ce3d020106052b8104000a032200"
        let spki = Hex.decode(spkiPrefix + publicKey)!
        let pem =
            "-----BEGIN PUBLIC KEY-----\n" + Data(spki).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END PUBLIC KEY-----\n"
        let pemFile = try scratch.write("pub.pem", pem)
        let sigFile = scratch.path("sig.der")
        try Data(derSignature(Hex.decode(signature)!)).write(to: URL(fileURLWithPath: sigFile))

        let arguments: [String] =
            suite == "sm2-sm3"
            ? [
                "pkeyutl", "-verify", "-pubin", "-inkey", pemFile, "-rawin", "-digest", "sm3", "-pkeyopt",
                "distid:1234567812345678", "-in", document, "-sigfile", sigFile,
            ]
            : ["dgst", "-sha256", "-verify", pemFile, "-signature", sigFile, document]
        let result = try await CLIRunner.tool("openssl", arguments)
        #expect(result.status == 0, "openssl said: \(result.stdout) \(result.stderr)")
    }

    @Test func merkleCommandsMatchTheRFC6962Vectors() async throws {
        let scratch = try Scratch()
        let leaves = try scratch.write(
            "leaves.txt",
            ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
                .joined(separator: "\n") + "\n"
        )
        let root = try await CLIRunner.civic("merkle", "root", leaves)
        #expect(root.stdout == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n")

        let prove = try await CLIRunner.civic("merkle", "prove", "--index", "5", leaves)
        #expect(prove.status == 0)
        let proof = try JSONSerialization.jsonObject(with: Data(prove.stdout.utf8)) as! [String: Any]
        #expect(proof["tree_size"] as? Int == 8 && proof["leaf_index"] as? Int == 5)
        #expect(proof["root"] as? String == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        let log = MerkleLog(hash: SHA256())
        let path = (proof["hashes"] as! [String]).map { Digest(hex: $0)! }
        try log.verify(
            InclusionProof(leafIndex: 5, treeSize: 8, hashes: path),
            leafHash: log.leafHash(Hex.decode("40414243")!),
            root: Digest(hex: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")!
        )

        let consistency = try await CLIRunner.civic("merkle", "consistency", "--old", "3", leaves)
        let body = try JSONSerialization.jsonObject(with: Data(consistency.stdout.utf8)) as! [String: Any]
        #expect(body["old_size"] as? Int == 3 && body["new_size"] as? Int == 8)
        try log.verify(
            ConsistencyProof(oldSize: 3, newSize: 8, hashes: (body["hashes"] as! [String]).map { Digest(hex: $0)! }),
            oldRoot: Digest(hex: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")!,
            newRoot: Digest(hex: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")!
        )
        #expect(consistency.stdout.hasPrefix(#"{"old_size":3,"new_size":8,"hashes":["#))
        #expect(prove.stdout.hasPrefix(#"{"tree_size":8,"leaf_index":5,"root":""#))

        #expect(try await CLIRunner.civic("merkle", "prove", "--index", "8", leaves).status == 2)
        #expect(try await CLIRunner.civic("merkle", "consistency", "--old", "0", leaves).status == 2)
        let bad = try scratch.write("bad.txt", "00\nnot-hex\n")
        let refused = try await CLIRunner.civic("merkle", "root", bad)
        #expect(refused.status == 2 && refused.stderr.contains("bad.txt:2"))
    }

    /// DER `ECDSA-Sig-Value` from `r ‖ s`, written here independently of the library.
    func derSignature(_ compact: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var body = Array(bytes.drop { $0 == 0 })
            if body.isEmpty || body[0] >= 0x80 { body.insert(0, at: 0) }
            return [0x02, UInt8(body.count)] + body
        }
        let content = integer(compact[0..<32]) + integer(compact[32..<64])
        return [0x30, UInt8(content.count)] + content
    }
}
