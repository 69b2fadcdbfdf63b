import COpenSSL
import LedgerCrypto
import Testing

/// The GB/T 32918.5-2017 Annex A example (recommended curve, ID "1234567812345678", message "message digest").
struct SM2VectorTests {
    static let privateKey = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
    static let publicX = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    static let publicY = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
    static let zA = "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3"
    static let e = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640"
    static let r = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
    static let s = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
    static let message = Array("message digest".utf8)

    /// Curve parameters a, b, G of the SM2 recommended curve, as they enter Z_A.
    static let curve =
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"
        + "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"
        + "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
        + "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"

    @Test func privateKeyDerivesTheStandardPublicKey() throws {
        let key = try SM2SM3Suite.shared.privateKey(scalar: Hex.decode(Self.privateKey)!)
        #expect(key.publicKey.hex == ("04" + Self.publicX + Self.publicY).lowercased())
    }

    @Test func standardSignatureVerifies() throws {
        let suite = SM2SM3Suite.shared
        let publicKey = try suite.publicKey(hex: "04" + Self.publicX + Self.publicY)
        let signature = try Signature(hex: Self.r + Self.s)
        #expect(suite.verify(signature, of: Self.message, by: publicKey))
        #expect(!suite.verify(signature, of: Array("message digesT".utf8), by: publicKey))
        var altered = signature.bytes
        altered[63] ^= 1
        #expect(!suite.verify(try Signature(bytes: altered), of: Self.message, by: publicKey))
    }

    /// Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) and e = SM3(Z_A ‖ M) reproduce the standard's
    /// intermediate values with our SM3.
    @Test func identityDigestAndMessageDigestMatchTheStandard() throws {
        let entl: [UInt8] = [0x00, 0x80]
        let preimage =
            entl + SM2SM3Suite.defaultID + Hex.decode(Self.curve)! + Hex.decode(Self.publicX + Self.publicY)!
        let z = SM3().hash(preimage)
        #expect(z.hex == Self.zA.lowercased())
        #expect(SM3().hash(z.bytes + Self.message).hex == Self.e.lowercased())
    }

    /// A signature made (by OpenSSL directly) under another distinguishing ID must not verify; one made under
    /// the default ID must. This shows the ID really enters verification.
    @Test func distinguishingIDMatters() throws {
        let suite = SM2SM3Suite.shared
        let key = try suite.privateKey(scalar: Hex.decode(Self.privateKey)!)
        let standard = try #require(try opensslSign(scalar: Self.privateKey, id: "1234567812345678"))
        let other = try #require(try opensslSign(scalar: Self.privateKey, id: "ALICE123@YAHOO.COM"))
        #expect(suite.verify(standard, of: Self.message, by: key.publicKey))
        #expect(!suite.verify(other, of: Self.message, by: key.publicKey))
    }

    /// Signs "message digest" through raw EVP calls with the given ID, independent of `SM2SM3Suite.sign`.
    func opensslSign(scalar: String, id: String) throws -> Signature? {
        let point = try SM2SM3Suite.shared.privateKey(scalar: Hex.decode(scalar)!).publicKey.bytes
        let pkey = try #require(civic_sm2_key_from_raw(point, Hex.decode(scalar)!))
        defer { EVP_PKEY_free(pkey) }
        let mctx = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(mctx) }
        let pctx = EVP_PKEY_CTX_new(pkey, nil)!
        defer { EVP_PKEY_CTX_free(pctx) }
        let idBytes = Array(id.utf8)
        guard EVP_PKEY_CTX_set1_id(pctx, idBytes, Int32(idBytes.count)) == 1 else { return nil }
        EVP_MD_CTX_set_pkey_ctx(mctx, pctx)
        guard EVP_DigestSignInit(mctx, nil, EVP_sm3(), nil, pkey) == 1 else { return nil }
        var der = [UInt8](repeating: 0, count: 80)
        var length = der.count
        guard EVP_DigestSign(mctx, &der, &length, Self.message, Self.message.count) == 1 else { return nil }
        return try derToCompact(Array(der.prefix(length)))
    }

    /// A minimal DER reader for the test, independent of the library's.
    func derToCompact(_ der: [UInt8]) throws -> Signature {
        var offset = 2
        var parts: [[UInt8]] = []
        for _ in 0..<2 {
            let length = Int(der[offset + 1])
            let body = Array(der[(offset + 2)..<(offset + 2 + length)].drop { $0 == 0 })
            parts.append([UInt8](repeating: 0, count: 32 - body.count) + body)
            offset += 2 + length
        }
        return try Signature(bytes: parts[0] + parts[1])
    }
}
