import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing
import Verifier

/// Receipt files (`docs/receipts.md`): both forms carry the same evidence, a changed summary or an unknown
/// version is refused, and no input — truncated, mutated or garbage — does anything but decode or throw.
struct ReceiptTests {
    func certificateReceipt(_ chain: VerifiedChain, height: UInt64) -> Receipt {
        Receipt(.certificate(chain.evidence[height]!))
    }

    @Test(arguments: CryptoSuiteID.allCases)
    func bothFormsRoundTripAndVerifyAlike(suite: CryptoSuiteID) throws {
        let chain = try VerifiedChain.make(suite: suite)
        for receipt in [certificateReceipt(chain, height: 4), certificateReceipt(chain, height: 6)]
            + chain.transactionReceipts.values
        {
            let json = Array(receipt.json.serialized().utf8)
            #expect(try Receipt(file: json) == receipt)
            #expect(try Receipt(file: receipt.binary) == receipt)
            #expect(receipt.binary.count < json.count)
        }
        let anchor = try #require(chain.transactionReceipts["anchor"])
        guard case .transaction(let evidence, let handOffs) = anchor.content else {
            Issue.record("not a transaction receipt")
            return
        }
        let verdict = TransactionVerifier.verify(evidence, handOffs: handOffs, trust: chain.trust)
        #expect(verdict.isProven && verdict.result.isApplied && verdict.height == 1)
        #expect(
            verdict.checks.map(\.name) == [
                "chain", "validator sets", "header", "commit certificate", "inclusion proof",
            ]
        )
        #expect(anchor.summary["payload"] == .string("certificate anchor"))
        // The revocation in block 5 needs the hand-off at height 3, and the receipt carries it.
        let revoke = try #require(chain.transactionReceipts["revoke"])
        #expect(revoke.handOffs == [chain.handOff])
    }

    @Test func aTamperedTransactionReceiptIsRefusedByName() throws {
        let chain = try VerifiedChain.make()
        guard case .transaction(let evidence, let handOffs)? = chain.transactionReceipts["revoke"]?.content,
            case .transaction(let proposal, _)? = chain.transactionReceipts["proposal"]?.content
        else {
            Issue.record("missing receipts")
            return
        }
        func failed(_ evidence: TransactionEvidence, _ handOffs: [ValidatorHandOff]) -> [String] {
            TransactionVerifier.verify(evidence, handOffs: handOffs, trust: chain.trust).checks
                .filter { !$0.passed }.map(\.name)
        }
        #expect(failed(evidence, handOffs).isEmpty)
        #expect(failed(evidence, []) == ["validator sets"])
        // Another transaction presented with the revocation's proof and header.
        let swapped = TransactionEvidence(
            transaction: proposal.transaction,
            result: evidence.result,
            transactionProof: evidence.transactionProof,
            resultProof: evidence.resultProof,
            header: evidence.header,
            certificate: evidence.certificate
        )
        #expect(failed(swapped, handOffs) == ["inclusion proof"])
        // A rejected result claimed for an applied transaction.
        let rejected = TransactionEvidence(
            transaction: evidence.transaction,
            result: TransactionResult(rejection: .certificateFinal, message: "forged"),
            transactionProof: evidence.transactionProof,
            resultProof: evidence.resultProof,
            header: evidence.header,
            certificate: evidence.certificate
        )
        #expect(failed(rejected, handOffs) == ["inclusion proof"])
    }

    @Test func editedUnknownAndForeignFilesAreRefusedWithTheReason() throws {
        let chain = try VerifiedChain.make()
        let receipt = certificateReceipt(chain, height: 6)
        let text = receipt.json.serialized()
        // A clerk-friendly lie in the summary: the evidence still says revoked.
        let edited = text.replacingOccurrences(of: "\"status\": \"revoked\"", with: "\"status\": \"valid\"")
        #expect(edited != text)
        #expect(throws: ReceiptError.summaryMismatch) { try Receipt(file: Array(edited.utf8)) }
        // A newer version, and older ones no network runs (1 before issue 16, 0 never written): neither is
        // read, and each is called what it is.
        for version in [4, 1, 0] {
            let other = text.replacingOccurrences(of: "\"civic_receipt\": 3", with: "\"civic_receipt\": \(version)")
            #expect(other != text)
            #expect(throws: ReceiptError.unsupportedVersion(version)) { try Receipt(file: Array(other.utf8)) }
            #expect(ReceiptError.unsupportedVersion(version).description.contains(version > 3 ? "newer" : "older"))
        }
        // Version 2 is version 3 with its hand-offs from genesis: still read, in both forms.
        let versionTwo = text.replacingOccurrences(of: "\"civic_receipt\": 3", with: "\"civic_receipt\": 2")
            .replacingOccurrences(of: "\"checkpoint\": null,", with: "")
        #expect(try Receipt(file: Array(versionTwo.utf8)) == receipt)
        let binary = receipt.binary
        #expect(binary[6] == 0, "no base checkpoint")
        #expect(try Receipt(file: Array(binary[0..<4]) + [0, 2] + Array(binary[7...])) == receipt)
        // Keys in another order (a JSON store, `json.tool --sort-keys`) mean the same receipt.
        #expect(try Receipt(file: receipt.json.ignoringKeyOrder.serializedBytes()) == receipt)
        var binaryNewer = receipt.binary
        binaryNewer[5] = 9
        #expect(throws: ReceiptError.unsupportedVersion(9)) { try Receipt(file: binaryNewer) }
        let missing = text.replacingOccurrences(of: "\"state_proof\"", with: "\"state_prooff\"")
        #expect(throws: ReceiptError.malformed(field: "evidence.state_proof", reason: "expected hex")) {
            try Receipt(file: Array(missing.utf8))
        }
        for garbage in [[], Array("%PDF-1.7 a certificate".utf8), Array("{}".utf8), Array("CIV".utf8)] {
            #expect(throws: ReceiptError.self) { try Receipt(file: garbage) }
        }
    }

    /// An inclusion proof names the tree size it was made for, and a path can lead to the same root under two
    /// sizes (leaf 0 of 3 and of 4 share one): the size must be the block's transaction count (issue 17,
    /// finding 3 — "number 1 of 4" in a block of 3 was accepted).
    @Test func anInclusionProofForAnotherTreeSizeIsRefused() throws {
        let chain = try StoredChain()
        let hash = chain.hash
        let anchors = try (1...3).map { index in
            let code = VerificationCode(
                issuer: LedgerFixture.guangdong,
                secret: CertificateSecret(bytes: Array(repeating: UInt8(index), count: 16))!
            )
            return try chain.sign(
                .certificateAnchor(
                    CertificateAnchor(
                        certificate: CertificateRef(code: code, number: "GD-\(index)", hash: hash),
                        documentCommitment: hash.hash(utf8: "document \(index)"),
                        kind: .marriage
                    )
                ),
                by: LedgerFixture.guangdong
            )
        }
        #expect(try chain.append(anchors).allSatisfy(\.isApplied))
        let receipt = try #require(
            try ReceiptBuilder(source: chain.store, rules: chain.rules).transaction(anchors[0].id(hash: hash))
        )
        guard case .transaction(let evidence, let handOffs) = receipt.content else {
            Issue.record("not a transaction receipt")
            return
        }
        let trust = VerifiedChain.trust(chain.fixture.genesis)
        #expect(TransactionVerifier.verify(evidence, handOffs: handOffs, trust: trust).isProven)
        func claiming(_ size: UInt64) -> TransactionEvidence {
            TransactionEvidence(
                transaction: evidence.transaction,
                result: evidence.result,
                transactionProof: InclusionProof(
                    leafIndex: 0,
                    treeSize: size,
                    hashes: evidence.transactionProof.hashes
                ),
                resultProof: InclusionProof(leafIndex: 0, treeSize: size, hashes: evidence.resultProof.hashes),
                header: evidence.header,
                certificate: evidence.certificate
            )
        }
        // The same path proves leaf 0 under size 4: the Merkle check alone would accept it.
        let log = MerkleLog(hash: hash)
        try log.verify(
            claiming(4).transactionProof,
            leafHash: log.leafHash(evidence.transaction.canonicalBytes),
            root: evidence.header.transactionsRoot
        )
        let verdict = TransactionVerifier.verify(claiming(4), handOffs: handOffs, trust: trust)
        #expect(!verdict.isProven)
        #expect(
            verdict.checks.last?.detail.contains("a block of 4 transactions; block 1 holds 3") == true,
            "\(verdict.checks)"
        )
    }

    /// Heights and indexes are unsigned 64-bit; JSON integers here are signed. A forged receipt with values
    /// beyond `Int64.max` (found by the receipt fuzzer: it trapped writing the summary) reads, shows and
    /// re-reads like any other — and fails verification.
    @Test func valuesBeyondSignedRangeAreShownAndRefusedNotTrapped() throws {
        let chain = try VerifiedChain.make()
        let huge = UInt64.max
        let real = try #require(chain.evidence[6])
        let record = try #require(real.record)
        let forgedRecord = CertificateRecord(
            documentCommitment: record.documentCommitment,
            kind: record.kind,
            issuer: record.issuer,
            history: record.history.map {
                CertificateEvent(
                    status: $0.status,
                    by: $0.by,
                    height: huge,
                    reason: $0.reason,
                    replacement: $0.replacement
                )
            }
        )
        let forgedHeader = real.header.changing(height: huge, time: huge)
        let forged = CertificateEvidence(
            subject: real.subject,
            record: forgedRecord,
            proof: real.proof,
            header: forgedHeader,
            certificate: real.certificate,
            handOffs: real.handOffs,
            transaction: real.transaction
        )
        guard case .transaction(let evidence, let handOffs)? = chain.transactionReceipts["anchor"]?.content else {
            Issue.record("missing receipt")
            return
        }
        let forgedTransaction = TransactionEvidence(
            transaction: evidence.transaction,
            result: evidence.result,
            transactionProof: InclusionProof(leafIndex: huge, treeSize: huge, hashes: evidence.transactionProof.hashes),
            resultProof: evidence.resultProof,
            header: forgedHeader,
            certificate: evidence.certificate
        )
        for receipt in [Receipt(.certificate(forged)), Receipt(.transaction(forgedTransaction, handOffs: handOffs))] {
            let json = Array(receipt.json.serialized().utf8)
            #expect(try Receipt(file: json) == receipt)
            #expect(receipt.summary["height"] == .number(Double(huge)))
        }
        let verdict = CertificateVerifier.verify(
            documentDigest: chain.documentDigest,
            number: VerifiedChain.number,
            code: VerifiedChain.code,
            evidence: forged,
            trust: chain.trust
        )
        #expect(!verdict.checks.allSatisfy { $0.passed })
        #expect(!TransactionVerifier.verify(forgedTransaction, handOffs: handOffs, trust: chain.trust).isProven)
    }

    /// The receipt parser under mutation: truncations and random byte changes of both forms either throw a
    /// `ReceiptError` or give a receipt that, if it differs, fails verification. Never a trap.
    @Test func theReceiptParserIsTotal() throws {
        let chain = try VerifiedChain.make()
        let receipt = certificateReceipt(chain, height: 6)
        let binary = receipt.binary
        let json = Array(receipt.json.serialized(pretty: false).utf8)
        for length in 0..<binary.count {
            #expect(throws: ReceiptError.self) { try Receipt(file: Array(binary.prefix(length))) }
        }
        for length in stride(from: 0, to: json.count, by: 3) {
            #expect(throws: ReceiptError.self) { try Receipt(file: Array(json.prefix(length))) }
        }
        var random = SeededGenerator(seed: 47)
        var decoded = 0
        for round in 0..<20_000 {
            var mutated = round.isMultiple(of: 2) ? binary : json
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                mutated[Int.random(in: 0..<mutated.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
            guard let parsed = try? Receipt(file: mutated), parsed != receipt else { continue }
            decoded += 1
            guard case .certificate(let evidence) = parsed.content else { continue }
            let verdict = CertificateVerifier.verify(
                documentDigest: chain.documentDigest,
                number: VerifiedChain.number,
                code: VerifiedChain.code,
                evidence: evidence,
                trust: chain.trust
            )
            let passedAll = verdict.checks.allSatisfy { $0.passed }
            #expect(!passedAll, "a mutated receipt passed every check")
        }
        #expect(decoded > 0)
    }
}
