import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage
import Testing
import Verifier

/// Trusting a header from the genesis file alone (`docs/verifier.md`): through validator-set hand-offs, and
/// never through a certificate with too little power, a set nobody handed over to, or another chain.
struct HeaderVerifierTests {
    /// Six blocks with real certificates, each signed by every validator of V(h). Sichuan's power goes from
    /// 10 to 30 (proposed in block 1, approved in block 2); with a delay of 2, V(1…3) is the genesis set and
    /// V(4…) the new one, so header 3 is the hand-off: the old set signs it and it names the new set next.
    struct Chain {
        let fixture: LedgerFixture
        let headers: [UInt64: BlockHeader]
        let certificates: [UInt64: CommitCertificate]
        let old: ValidatorSet
        let new: ValidatorSet

        var handOff: ValidatorHandOff {
            ValidatorHandOff(header: headers[3]!, certificate: certificates[3]!, next: new)
        }
    }

    static func chain() throws -> Chain {
        let directory = TemporaryDirectory("civic-verifier")
        var fixture = LedgerFixture()
        let store = try RocksDBLedgerStore(path: directory.path, suite: .secp256k1SHA256)
        defer { store.close() }
        try store.initialize(genesis: fixture.genesis)
        let sichuanKey = try #require(fixture.keys[LedgerFixture.sichuan])
        let sichuan = LedgerFixture.member(LedgerFixture.sichuan, [.validator, .registrar], key: sichuanKey, power: 30)
        let proposal = fixture.sign(
            .governanceProposal(GovernanceProposal(action: .updateMember(sichuan), expiresAtHeight: 100)),
            key: try #require(fixture.keys[LedgerFixture.guangdong]),
            sequence: 0
        )
        let approve = TransactionPayload.governanceApproval(
            GovernanceApproval(proposalID: proposal.id(hash: fixture.suite.hashFunction))
        )
        let approvals = try [LedgerFixture.zhejiang, LedgerFixture.sichuan].map { id in
            fixture.sign(approve, key: try #require(fixture.keys[id]), sequence: 0)
        }
        var headers: [UInt64: BlockHeader] = [:]
        var certificates: [UInt64: CommitCertificate] = [:]
        var lastCommit: CommitCertificate?
        for transactions in [[proposal], approvals, [], [], [], []] {
            let (block, results, prepared) = try store.buildNextBlock(
                transactions,
                executor: fixture.executor,
                time: 1_795_478_400 + UInt64(headers.count),
                proposer: LedgerFixture.guangdong,
                lastCommit: lastCommit
            )
            #expect(results.allSatisfy { $0.isApplied }, "\(results)")
            let height = block.header.height
            let validators = try store.validatorSet(
                at: fixture.genesis.rules.validatorSetVersion(forHeight: height),
                rules: fixture.genesis.rules
            )
            let certificate = try sign(block.header, by: validators, fixture: fixture)
            try store.commit(block, certificate: certificate, results: results, state: prepared)
            headers[height] = block.header
            certificates[height] = certificate
            lastCommit = certificate
        }
        return Chain(
            fixture: fixture,
            headers: headers,
            certificates: certificates,
            old: try store.validatorSet(at: 0, rules: fixture.genesis.rules),
            new: try store.validatorSet(at: 2, rules: fixture.genesis.rules)
        )
    }

    /// A certificate for `header` signed by the members of `validators` at `signers` (default: all).
    static func sign(
        _ header: BlockHeader,
        by validators: ValidatorSet,
        fixture: LedgerFixture,
        signers: [Int]? = nil
    ) throws -> CommitCertificate {
        let blockHash = header.hash(fixture.suite.hashFunction)
        let signatures = try (signers ?? Array(validators.validators.indices)).map { index in
            let vote = Vote(
                type: .precommit,
                height: header.height,
                round: 0,
                blockHash: blockHash,
                validatorIndex: UInt16(index)
            )
            let key = LedgerFixture.key("consensus " + validators.validators[index].id.value, suite: fixture.suite)
            return CommitCertificate.Signature(
                validatorIndex: UInt16(index),
                signature: try fixture.suite.sign(vote.signedBytes(chainID: fixture.genesis.chainID), with: key)
            )
        }
        return CommitCertificate(height: header.height, round: 0, blockHash: blockHash, signatures: signatures)
    }

    @Test func headersAreTrustedThroughHandOffsFromGenesis() throws {
        let chain = try Self.chain()
        let genesis = chain.fixture.genesis
        #expect(chain.old.totalPower == 30 && chain.new.totalPower == 50)
        #expect(try HeaderVerifier.genesisValidators(genesis) == chain.old)
        // Before the change takes effect, the genesis set signs.
        for height: UInt64 in 1...3 {
            let signer = try HeaderVerifier.verify(
                chain.headers[height]!,
                certificate: chain.certificates[height]!,
                handOffs: [],
                genesis: genesis
            )
            #expect(signer == chain.old)
        }
        // After it, only with the hand-off.
        #expect(throws: HeaderVerificationError.unexpectedValidatorSet(height: 5)) {
            try HeaderVerifier.verify(
                chain.headers[5]!,
                certificate: chain.certificates[5]!,
                handOffs: [],
                genesis: genesis
            )
        }
        for height: UInt64 in 4...6 {
            let signer = try HeaderVerifier.verify(
                chain.headers[height]!,
                certificate: chain.certificates[height]!,
                handOffs: [chain.handOff],
                genesis: genesis
            )
            #expect(signer == chain.new)
        }
        let encoded = chain.handOff.canonicalBytes
        #expect(try ValidatorHandOff(canonicalBytes: encoded, maximumSize: encoded.count) == chain.handOff)
    }

    @Test func forgedOrWeakProofsAreRefusedByName() throws {
        let chain = try Self.chain()
        let genesis = chain.fixture.genesis
        let header = chain.headers[5]!
        // A hand-off carrying another set than the one its header names.
        let inflated = ValidatorSet(
            validators: chain.new.validators.map {
                .init(id: $0.id, power: $0.power * 2, consensusKey: $0.consensusKey)
            }
        )
        let forged = ValidatorHandOff(header: chain.headers[3]!, certificate: chain.certificates[3]!, next: inflated)
        #expect(throws: HeaderVerificationError.nextSetMismatch(height: 3)) {
            try HeaderVerifier.verify(header, certificate: chain.certificates[5]!, handOffs: [forged], genesis: genesis)
        }
        // Guangdong and Zhejiang alone hold 20 of the new set's 50.
        let weak = try Self.sign(header, by: chain.new, fixture: chain.fixture, signers: [0, 1])
        #expect(
            throws: HeaderVerificationError.certificate(height: 5, .insufficientPower(signed: 20, total: 50))
        ) {
            try HeaderVerifier.verify(header, certificate: weak, handOffs: [chain.handOff], genesis: genesis)
        }
        // A header changed after signing no longer matches its certificate.
        let tampered = BlockHeader(
            chainID: header.chainID,
            height: header.height,
            time: header.time,
            previousBlockHash: header.previousBlockHash,
            transactionsRoot: header.transactionsRoot,
            transactionCount: header.transactionCount,
            stateRoot: SHA256().hash(utf8: "another state"),
            resultsRoot: header.resultsRoot,
            evidenceRoot: header.evidenceRoot,
            validatorSetHash: header.validatorSetHash,
            nextValidatorSetHash: header.nextValidatorSetHash,
            lastCommitHash: header.lastCommitHash,
            proposer: header.proposer
        )
        #expect {
            try HeaderVerifier.verify(
                tampered,
                certificate: chain.certificates[5]!,
                handOffs: [chain.handOff],
                genesis: genesis
            )
        } throws: { error in
            guard case .certificate(5, .wrongBlock) = error as? HeaderVerificationError else { return false }
            return true
        }
        // A hand-off at or above the header it leads to.
        let late = ValidatorHandOff(header: header, certificate: chain.certificates[5]!, next: chain.new)
        #expect(throws: HeaderVerificationError.handOffOutOfOrder(height: 5)) {
            try HeaderVerifier.verify(header, certificate: chain.certificates[5]!, handOffs: [late], genesis: genesis)
        }
        // Another chain's genesis with the same members.
        var other = genesis
        other.chainID = ChainID("civic-other")!
        #expect(
            throws: HeaderVerificationError.wrongChain(expected: other.chainID, found: genesis.chainID, height: 2)
        ) {
            try HeaderVerifier.verify(
                chain.headers[2]!,
                certificate: chain.certificates[2]!,
                handOffs: [],
                genesis: other
            )
        }
    }
}
