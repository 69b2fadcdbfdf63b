import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// SPEC §7: a certificate proves finality only with >2/3 of V(h)'s power in valid, ordered precommits.
struct CertificateVerificationTests {
    let validators = EvidenceFixture.validators
    let suite = EvidenceFixture.fixture.suite
    let chain = EvidenceFixture.chain
    let block = Digest.of("block 7")

    func precommit(
        _ index: Int,
        for hash: Digest? = nil,
        height: UInt64 = 7,
        round: UInt32 = 1
    )
        -> CommitCertificate.Signature
    {
        let id = validators.validators[index].id
        let key = LedgerFixture.key("consensus " + id.value, suite: suite)
        let vote = Vote(
            type: .precommit,
            height: height,
            round: round,
            blockHash: hash ?? block,
            validatorIndex: UInt16(index)
        )
        return .init(
            validatorIndex: UInt16(index),
            signature: try! suite.sign(vote.signedBytes(network: chain), with: key)
        )
    }

    func check(_ signatures: [CommitCertificate.Signature], hash: Digest? = nil) throws(CertificateError) {
        try CommitCertificate(height: 7, round: 1, blockHash: hash ?? block, signatures: signatures)
            .verify(blockHash: block, height: 7, validators: validators, network: chain, suite: suite)
    }

    @Test func moreThanTwoThirdsOfPowerIsFinal() throws {
        #expect(validators.validators.count == 3)
        try check([precommit(0), precommit(1), precommit(2)])
    }

    @Test func twoThirdsOrLessIsNot() {
        // Exactly two thirds is not enough.
        #expect(throws: CertificateError.insufficientPower(signed: 20, total: 30)) {
            try check([precommit(0), precommit(2)])
        }
        #expect(throws: CertificateError.insufficientPower(signed: 10, total: 30)) { try check([precommit(1)]) }
        #expect(throws: CertificateError.insufficientPower(signed: 0, total: 30)) { try check([]) }
    }

    @Test func repeatedOrUnorderedSignersAreRefused() {
        #expect(throws: CertificateError.unorderedSigners(index: 0)) { try check([precommit(0), precommit(0)]) }
        #expect(throws: CertificateError.unorderedSigners(index: 0)) { try check([precommit(1), precommit(0)]) }
    }

    @Test func signaturesMustBePrecommitsForThisBlockHeightAndRound() {
        let other = Digest.of("another block")
        let id = validators.validators[1].id
        for wrong in [precommit(1, for: other), precommit(1, height: 8), precommit(1, round: 2)] {
            #expect(throws: CertificateError.badSignature(index: 1, validator: id)) {
                try check([precommit(0), wrong, precommit(2)])
            }
        }
    }

    @Test func unknownSignerAndWrongBlockAreRefused() {
        #expect(throws: CertificateError.unknownSigner(index: 3, validators: 3)) {
            try check([precommit(0), precommit(1), .init(validatorIndex: 3, signature: precommit(2).signature)])
        }
        let other = Digest.of("another block")
        #expect(throws: CertificateError.self) {
            try check([precommit(0, for: other), precommit(1, for: other)], hash: other)
        }
    }

    @Test func anotherChainsCertificateIsRefused() {
        let certificate = CommitCertificate(
            height: 7,
            round: 1,
            blockHash: block,
            signatures: [precommit(0), precommit(1)]
        )
        #expect(throws: CertificateError.self) {
            try certificate.verify(
                blockHash: block,
                height: 7,
                validators: validators,
                network: NetworkID(chainID: ChainID("civic-other")!, genesisHash: chain.genesisHash),
                suite: suite
            )
        }
    }
}
