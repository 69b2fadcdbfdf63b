import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

struct CanonicalEncodingTests {
    @Test func randomTransactionsRoundTripExactly() throws {
        var random = SeededGenerator(seed: 20261124)
        for _ in 0..<5_000 {
            let value = random.signedTransaction()
            let bytes = value.canonicalBytes
            let decoded = try SignedTransaction(encoded: bytes)
            #expect(decoded == value)
            #expect(decoded.canonicalBytes == bytes)
        }
    }

    @Test func proofsRoundTrip() throws {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<1_000 {
            let inclusion = InclusionProof(
                leafIndex: random.next(),
                treeSize: random.next(),
                hashes: (0..<Int.random(in: 0...64, using: &random)).map { _ in random.digest() }
            )
            #expect(try InclusionProof(canonicalBytes: inclusion.canonicalBytes) == inclusion)
            let consistency = ConsistencyProof(oldSize: random.next(), newSize: random.next(), hashes: inclusion.hashes)
            #expect(try ConsistencyProof(canonicalBytes: consistency.canonicalBytes) == consistency)
        }
    }

    /// The byte layout is frozen: this exact encoding must never change (`docs/encoding.md` walks through it).
    @Test func knownAnswerEncoding() throws {
        let anchor = CertificateAnchor(
            certificate: CertificateRef(
                issuer: OrgID("440000")!,
                key: Digest(bytes: [UInt8](repeating: 0x11, count: 32))!
            ),
            documentCommitment: Digest(bytes: [UInt8](repeating: 0x22, count: 32))!,
            kind: .marriage
        )
        let transaction = Transaction(
            chainID: ChainID("civic-test")!,
            sender: [0x02] + [UInt8](repeating: 0xab, count: 32),
            sequence: 7,
            payload: .certificateAnchor(anchor)
        )
        let expected =
            "03" + "0000000a" + Hex.encode(Array("civic-test".utf8)) + "00000021" + "02"
            + String(repeating: "ab", count: 32)
            + "0000000000000007" + "01" + "00000006" + Hex.encode(Array("440000".utf8))
            + String(repeating: "11", count: 32) + String(repeating: "22", count: 32) + "01"
        #expect(Hex.encode(transaction.canonicalBytes) == expected)
        let domain = "civicledger/transaction/v3"
        let network = NetworkID(
            chainID: transaction.chainID,
            genesisHash: Digest(bytes: [UInt8](repeating: 0x33, count: 32))!
        )
        #expect(
            Hex.encode(transaction.signedBytes(network: network))
                == "0000001a" + Hex.encode(Array(domain.utf8)) + "0000000a" + Hex.encode(Array("civic-test".utf8))
                + String(repeating: "33", count: 32) + expected
        )
    }

    /// A signature is for one network and one transaction: another chain id, another genesis under the same
    /// chain id (issue 16, point 6: two local networks both called `civic-local`), or another sequence, and it
    /// does not verify.
    @Test func signaturesBindNetworkAndContent() throws {
        for id in CryptoSuiteID.allCases {
            let key = try id.suite.generatePrivateKey()
            let transaction = Transaction(
                chainID: ChainID("net-a")!,
                sender: key.publicKey.bytes,
                sequence: 1,
                payload: .batchAnchor(BatchAnchor(root: Digest.zero, leafCount: 3, label: "run 1"))
            )
            let network = NetworkID(chainID: transaction.chainID, genesisHash: .of("genesis a"))
            let signed = try SignedTransaction(signing: transaction, with: key, for: network)
            #expect(signed.hasValidSignature(suite: id.suite, network: network))
            let otherGenesis = NetworkID(chainID: transaction.chainID, genesisHash: .of("genesis b"))
            #expect(!signed.hasValidSignature(suite: id.suite, network: otherGenesis))
            let otherChain = Transaction(
                chainID: ChainID("net-b")!,
                sender: key.publicKey.bytes,
                sequence: 1,
                payload: transaction.payload
            )
            let otherNetwork = NetworkID(chainID: otherChain.chainID, genesisHash: network.genesisHash)
            #expect(
                !SignedTransaction(transaction: otherChain, signature: signed.signature).hasValidSignature(
                    suite: id.suite,
                    network: otherNetwork
                )
            )
            let replayed = Transaction(
                chainID: transaction.chainID,
                sender: key.publicKey.bytes,
                sequence: 2,
                payload: transaction.payload
            )
            #expect(
                !SignedTransaction(transaction: replayed, signature: signed.signature).hasValidSignature(
                    suite: id.suite,
                    network: network
                )
            )
            #expect(signed.id(hash: id.suite.hashFunction) == id.suite.hashFunction.hash(signed.canonicalBytes))
        }
    }

    @Test func nonCanonicalInputsAreRefusedWithTypedErrors() throws {
        var random = SeededGenerator(seed: 3)
        let valid = random.signedTransaction().canonicalBytes

        #expect(throws: CanonicalDecodingError(.trailingBytes, at: 0, "")) {
            try SignedTransaction(encoded: valid + [0])
        }
        for cut in 0..<valid.count {
            #expect(throws: CanonicalDecodingError.self) { try SignedTransaction(encoded: Array(valid.prefix(cut))) }
        }
        // Versions 1 and 2 (before issue 16's subsidy programmes) and any later one are refused.
        for version: UInt8 in [1, 2, 4] {
            var badVersion = valid
            badVersion[0] = version
            #expect(throws: CanonicalDecodingError(.unsupportedVersion, at: 0, "")) {
                try SignedTransaction(encoded: badVersion)
            }
        }
        #expect(throws: CanonicalDecodingError(.limitExceeded, at: 0, "")) {
            try SignedTransaction(encoded: [UInt8](repeating: 0, count: SignedTransaction.maximumEncodedSize + 1))
        }

        var writer = CanonicalWriter()
        writer.write(UInt8(2))
        var reader = CanonicalReader(writer.bytes)
        #expect(throws: CanonicalDecodingError(.invalidValue, at: 0, "")) { try reader.read(Bool.self) }

        var optional = CanonicalReader([7])
        #expect(throws: CanonicalDecodingError(.unknownTag, at: 0, "")) { try optional.readOptional(Digest.self) }

        var utf8 = CanonicalReader([0, 0, 0, 2, 0xc3, 0x28])
        #expect(throws: CanonicalDecodingError(.invalidUTF8, at: 0, "")) { try utf8.readString(maxLength: 10) }

        var long = CanonicalReader([0, 0, 0, 11] + [UInt8](repeating: 65, count: 11))
        #expect(throws: CanonicalDecodingError(.limitExceeded, at: 0, "")) { try long.readBytes(maxLength: 10) }

        // A huge claimed count is refused before anything is allocated for it.
        var hugeArray = CanonicalReader([0x00, 0x0f, 0xff, 0xff])
        #expect(throws: CanonicalDecodingError(.truncated, at: 0, "")) {
            try hugeArray.readArray(of: Digest.self, maxCount: Int.max)
        }
        var tooMany = CanonicalReader([0, 0, 0, 65] + [UInt8](repeating: 0, count: 65 * 32))
        #expect(throws: CanonicalDecodingError(.limitExceeded, at: 0, "")) {
            try tooMany.readArray(of: Digest.self, maxCount: 64)
        }

        #expect(throws: CanonicalDecodingError(.unknownTag, at: 0, "")) { try TransactionPayload(canonicalBytes: [10]) }
        #expect(throws: CanonicalDecodingError(.invalidValue, at: 0, "")) {
            try ChainID(canonicalBytes: [0, 0, 0, 1, 0x41])
        }
        #expect(throws: CanonicalDecodingError(.limitExceeded, at: 0, "")) {
            try ChainID(canonicalBytes: [0, 0, 0, 65] + [UInt8](repeating: 0x61, count: 65))
        }
        #expect(throws: CanonicalDecodingError(.invalidValue, at: 0, "")) {
            try ChainID(canonicalBytes: [0, 0, 0, 2, 0xc3, 0x28])  // checked as bytes: not UTF-8 is not a name
        }
        #expect(ChainID("") == nil && ChainID("UPPER") == nil && ChainID(String(repeating: "a", count: 65)) == nil)
    }

    /// An envelope read from a transaction's bytes is the decoded transaction's, whatever follows it; the
    /// envelope refuses what the transaction refuses in its leading fields.
    @Test func envelopesAreTheLeadingFieldsOfTransactions() throws {
        var random = SeededGenerator(seed: 16)
        for _ in 0..<1_000 {
            let transaction = random.signedTransaction()
            var bytes = transaction.canonicalBytes
            #expect(try TransactionEnvelope(peeking: bytes) == transaction.transaction.envelope)
            bytes.removeLast(
                bytes.count
                    - (1 + 4 + transaction.transaction.chainID.value.utf8.count + 4
                        + transaction.transaction.sender.count)
            )
            #expect(try TransactionEnvelope(peeking: bytes) == transaction.transaction.envelope, "nothing more read")
            bytes.removeLast()
            #expect(throws: CanonicalDecodingError(.truncated, at: 0, "")) { try TransactionEnvelope(peeking: bytes) }
        }
        var otherVersion = random.signedTransaction().canonicalBytes
        otherVersion[0] = Transaction.formatVersion + 1
        #expect(throws: CanonicalDecodingError(.unsupportedVersion, at: 0, "")) {
            try TransactionEnvelope(peeking: otherVersion)
        }
    }

    @Test func integersAreBigEndianFixedWidth() throws {
        var writer = CanonicalWriter()
        writer.write(UInt16(0x0102))
        writer.write(UInt32(0x0304_0506))
        writer.write(UInt64(0x0708_090a_0b0c_0d0e))
        writer.write(Int64(-1))
        writer.write(true)
        writer.write(Optional<Digest>.none)
        #expect(Hex.encode(writer.bytes) == "0102" + "03040506" + "0708090a0b0c0d0e" + "ffffffffffffffff" + "01" + "00")
        var reader = CanonicalReader(writer.bytes)
        #expect(try reader.read(UInt16.self) == 0x0102)
        #expect(try reader.read(UInt32.self) == 0x0304_0506)
        #expect(try reader.read(UInt64.self) == 0x0708_090a_0b0c_0d0e)
        #expect(try reader.read(Int64.self) == -1)
        #expect(try reader.read(Bool.self))
        #expect(try reader.readOptional(Digest.self) == nil)
        try reader.finish()
    }
}
