import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing

/// The queries, answered from a real store, and every answer checked against its proof and header.
struct LedgerQueriesTests {
    /// A store with one certificate issued then superseded, a project with money in and out, and a flagged
    /// duplicate subsidy claim.
    static func populatedStore(_ path: String) throws -> (RocksDBLedgerStore, LedgerFixture, [Block]) {
        var fixture = LedgerFixture(duplicateSubsidy: .flag)
        let store = try RocksDBLedgerStore(path: path, suite: .secp256k1SHA256)
        try store.initialize(genesis: fixture.genesis)
        let steps: [(TransactionPayload, OrgID)] = [
            (Payloads.anchor("A"), LedgerFixture.guangdong),
            (Payloads.donation("meals", 500), LedgerFixture.charity),
            (Payloads.statusChange("A", .superseded), LedgerFixture.guangdong),
            (Payloads.disbursement("meals", 200), LedgerFixture.charity),
            (Payloads.pensionRegistration, LedgerFixture.guangdong),
            (Payloads.subsidy(["p1", "p2"]), LedgerFixture.guangdong),
            (Payloads.subsidy(["p2"]), LedgerFixture.zhejiang),
            (Payloads.donation("meals", 50), LedgerFixture.charity),
        ]
        var blocks: [Block] = []
        for (payload, id) in steps {
            let signed = fixture.sign(payload, key: fixture.keys[id]!)
            fixture.sequences[signed.transaction.sender] = signed.transaction.sequence + 1
            let (block, results, prepared) = try store.buildNextBlock(
                [signed],
                executor: fixture.executor,
                time: 1_795_478_400 + UInt64(blocks.count),
                proposer: LedgerFixture.guangdong,
                lastCommit: nil
            )
            #expect(results[0].isApplied, "\(results[0].message)")
            try store.commit(block, certificate: nil, results: results, state: prepared)
            blocks.append(block)
        }
        return (store, fixture, blocks)
    }

    @Test func answersCarryProofsThatCheckAgainstHeaders() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("civic-query-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (store, _, blocks) = try Self.populatedStore(path)
        let queries = LedgerQueries(reader: store)

        let certificate = try queries.certificate(Payloads.certificate("A"))
        #expect(certificate.height == 8)
        let record = try #require(certificate.record)
        #expect(record.status == .superseded)
        #expect(record.history.map(\.by) == [LedgerFixture.guangdong, LedgerFixture.guangdong])
        #expect(
            try certificate.proof.verify(root: certificate.header.stateRoot, hash: SHA256())
                == SHA256().hash(record.canonicalBytes)
        )
        // At height 2 it was still valid: history as of then, proven against that header.
        let earlier = try queries.certificate(Payloads.certificate("A"), height: 2)
        #expect(earlier.record?.status == .valid && earlier.header == blocks[1].header)
        // A certificate that was never anchored is proven absent.
        let missing = try queries.certificate(Payloads.certificate("Z"))
        #expect(missing.record == nil)
        #expect(try missing.proof.verify(root: missing.header.stateRoot, hash: SHA256()) == nil)

        let report = try queries.project(charity: LedgerFixture.charity, project: ProjectID("meals")!)
        #expect(
            report.project.record?.received == 550 && report.project.record?.spent == 200
                && report.project.record?.balance == 350
        )
        #expect(report.donations.map(\.payload.amount) == [500, 50])
        #expect(report.disbursements.map(\.payload.amount) == [200])
        #expect(report.donations.map(\.height) == [2, 8])

        let conflicts = try queries.subsidyConflicts(programme: Payloads.pension, period: SubsidyPeriod("2026-11")!)
        #expect(conflicts.record?.conflicts.count == 1)
        #expect(conflicts.record?.conflicts.first?.first.payer == LedgerFixture.guangdong)

        let transaction = blocks[3].transactions[0]
        let inclusion = try #require(try queries.transaction(transaction.id(hash: SHA256())))
        #expect(inclusion.location.height == 4 && inclusion.location.result.isApplied)
        let log = MerkleLog(hash: SHA256())
        try log.verify(
            inclusion.proof,
            leafHash: log.leafHash(inclusion.transaction.canonicalBytes),
            root: inclusion.header.transactionsRoot
        )
        #expect(try queries.transaction(.of("no such transaction")) == nil)
        #expect(throws: QueryError.noSuchHeight(99)) { try queries.certificate(Payloads.certificate("A"), height: 99) }
    }
}
