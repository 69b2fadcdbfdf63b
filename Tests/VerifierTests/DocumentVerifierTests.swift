import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing
import Verifier

/// A document anchored in a batch (`docs/verifier.md`, "Documents in a batch"; issue 17, point 4): its
/// receipt is the batch's evidence from a node plus the document's path, and is checked like a certificate's
/// — each forgery refused by the named check.
struct DocumentVerifierTests {
    static let documents = (1...5).map { Array("diploma \($0)".utf8) }

    struct Batch {
        let chain: StoredChain
        let root: Digest
        let paths: [InclusionProof]
        let receipt: Receipt

        init(suite: CryptoSuiteID = .secp256k1SHA256) throws {
            chain = try StoredChain(suite: suite)
            let hash = chain.hash
            let log = MerkleLog(hash: hash)
            let leaves = DocumentVerifierTests.documents.map { log.leafHash(hash.hash($0).bytes) }
            root = log.root(leafHashes: leaves)
            paths = try leaves.indices.map { try log.inclusionProof(index: $0, leafHashes: leaves) }
            let anchor = try chain.sign(
                .batchAnchor(BatchAnchor(root: root, leafCount: UInt32(leaves.count), label: "2026-12 diplomas")),
                by: LedgerFixture.guangdong
            )
            // The same root again, in the same block: refused, and never taken for the anchoring.
            let again = try chain.sign(
                .batchAnchor(BatchAnchor(root: root, leafCount: UInt32(leaves.count), label: "a copy")),
                by: LedgerFixture.zhejiang
            )
            #expect(try chain.append([anchor, again]).map(\.isApplied) == [true, false])
            try chain.append([])
            receipt = try ReceiptBuilder(source: chain.store, rules: chain.rules).batch(root)
        }

        var batch: BatchEvidence {
            get throws {
                guard case .batch(let evidence, _) = receipt.content else {
                    throw StateReadError("not a batch receipt")
                }
                return evidence
            }
        }

        func verify(_ document: Int, _ evidence: BatchEvidence, path: InclusionProof? = nil) -> DocumentVerdict {
            DocumentVerifier.verify(
                documentDigest: chain.hash.hash(DocumentVerifierTests.documents[document]),
                evidence: DocumentEvidence(batch: evidence, path: path ?? paths[document]),
                handOffs: [],
                trust: VerifiedChain.trust(chain.fixture.genesis)
            )
        }
    }

    func failed(_ verdict: DocumentVerdict) -> [String] { verdict.checks.filter { !$0.passed }.map(\.name) }

    @Test(arguments: CryptoSuiteID.allCases)
    func everyDocumentOfABatchVerifiesAndNoOtherDoes(suite: CryptoSuiteID) throws {
        let batch = try Batch(suite: suite)
        let evidence = try batch.batch
        #expect(evidence.record?.issuer == LedgerFixture.guangdong && evidence.record?.label == "2026-12 diplomas")
        for index in DocumentVerifierTests.documents.indices {
            let verdict = batch.verify(index, evidence)
            #expect(verdict.isValid && verdict.proofHolds, "\(verdict.checks)")
            #expect(
                verdict.checks.map(\.name) == [
                    "chain", "validator sets", "header", "commit certificate", "state proof", "inclusion proof",
                    "document",
                ]
            )
            #expect(verdict.checks.last?.detail.contains("document \(index + 1) of 5") == true)
        }
        // Another document with a genuine path: the batch is proven, the file is not in it.
        let other = batch.verify(0, evidence, path: batch.paths[1])
        #expect(failed(other) == ["document"] && other.proofHolds && !other.isValid)
        // The right path claimed for a tree of another size, or for a place no tree has.
        let resized = InclusionProof(leafIndex: 0, treeSize: 4, hashes: batch.paths[0].hashes)
        #expect(failed(batch.verify(0, evidence, path: resized)) == ["document"])
        let nowhere = InclusionProof(leafIndex: UInt64.max, treeSize: 5, hashes: batch.paths[0].hashes)
        #expect(failed(batch.verify(0, evidence, path: nowhere)) == ["document"])

        // Both receipt forms carry a document's evidence whole.
        let document = Receipt(.document(DocumentEvidence(batch: evidence, path: batch.paths[2]), handOffs: []))
        for receipt in [batch.receipt, document] {
            #expect(try Receipt(file: receipt.binary) == receipt)
            #expect(try Receipt(file: receipt.json.serializedBytes()) == receipt)
            #expect(try Receipt(file: receipt.json.ignoringKeyOrder.serializedBytes(pretty: false)) == receipt)
        }
        #expect(document.summary["leaf_index"] == .integer(2) && document.summary["anchored_by"] == .string("440000"))
    }

    @Test func forgedBatchEvidenceIsRefusedByName() throws {
        let batch = try Batch()
        let evidence = try batch.batch
        let record = try #require(evidence.record)
        func replacing(
            root: Digest? = nil,
            record: BatchRecord?? = nil,
            transaction: TransactionEvidence?? = nil
        ) -> BatchEvidence {
            BatchEvidence(
                root: root ?? evidence.root,
                record: record ?? evidence.record,
                proof: evidence.proof,
                header: evidence.header,
                certificate: evidence.certificate,
                transaction: transaction ?? evidence.transaction
            )
        }
        // A record claiming more documents or another issuer than the ledger holds.
        let inflated = BatchRecord(
            issuer: LedgerFixture.zhejiang,
            leafCount: 6,
            label: record.label,
            height: record.height
        )
        #expect(failed(batch.verify(0, replacing(record: .some(inflated)))) == ["state proof"])
        // Another root than the proof's: the proof is about another batch.
        #expect(
            failed(batch.verify(0, replacing(root: batch.chain.hash.hash(utf8: "another root")))) == ["state proof"]
        )
        // No anchoring transaction, or the refused copy in its place.
        #expect(failed(batch.verify(0, replacing(transaction: .some(nil)))) == ["inclusion proof"])
        let builder = ReceiptBuilder(source: batch.chain.store, rules: batch.chain.rules)
        let block = try #require(try batch.chain.store.block(at: 1))
        let copy = try #require(try builder.transaction(block.transactions[1].id(hash: batch.chain.hash)))
        guard case .transaction(let refused, _) = copy.content else {
            Issue.record("not a transaction receipt")
            return
        }
        let verdict = batch.verify(0, replacing(transaction: .some(refused)))
        #expect(failed(verdict) == ["inclusion proof"] && !verdict.proofHolds)
        #expect(verdict.checks.last?.detail.contains("rejected") == true, "\(verdict.checks)")
        // A root nobody anchored: proven absent, not valid.
        let unknown = try ReceiptBuilder(source: batch.chain.store, rules: batch.chain.rules).batch(
            batch.chain.hash.hash(utf8: "never anchored")
        )
        guard case .batch(let absent, _) = unknown.content else {
            Issue.record("not a batch receipt")
            return
        }
        let none = batch.verify(0, absent)
        #expect(failed(none).isEmpty && none.proofHolds && none.record == nil && !none.isValid)
    }
}
