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
    @Test func headersAreTrustedThroughHandOffsFromGenesis() throws {
        let chain = try VerifiedChain.make()
        let genesis = chain.fixture.genesis
        #expect(chain.old.totalPower == 30 && chain.new.totalPower == 50)
        #expect(try HeaderVerifier.genesisValidators(genesis) == chain.old)
        // Before the change takes effect, the genesis set signs.
        for height: UInt64 in 1...3 {
            let history = try HeaderVerifier.verify(
                chain.headers[height]!,
                certificate: chain.certificates[height]!,
                handOffs: [],
                trust: VerifiedChain.trust(genesis)
            )
            #expect(history.validators(at: height) == chain.old)
        }
        // After it, only with the hand-off.
        #expect(throws: HeaderVerificationError.unexpectedValidatorSet(height: 5)) {
            try HeaderVerifier.verify(
                chain.headers[5]!,
                certificate: chain.certificates[5]!,
                handOffs: [],
                trust: VerifiedChain.trust(genesis)
            )
        }
        for height: UInt64 in 4...6 {
            let history = try HeaderVerifier.verify(
                chain.headers[height]!,
                certificate: chain.certificates[height]!,
                handOffs: [chain.handOff],
                trust: VerifiedChain.trust(genesis)
            )
            #expect(history.validators(at: height) == chain.new)
        }
        let encoded = chain.handOff.canonicalBytes
        #expect(try ValidatorHandOff(canonicalBytes: encoded, maximumSize: encoded.count) == chain.handOff)
    }

    @Test func forgedOrWeakProofsAreRefusedByName() throws {
        let chain = try VerifiedChain.make()
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
            try HeaderVerifier.verify(
                header,
                certificate: chain.certificates[5]!,
                handOffs: [forged],
                trust: VerifiedChain.trust(genesis)
            )
        }
        // Guangdong and Zhejiang alone hold 20 of the new set's 50.
        let weak = try CertifiedChain.certificate(
            for: header,
            validators: chain.new,
            fixture: chain.fixture,
            signers: [0, 1]
        )
        #expect(
            throws: HeaderVerificationError.certificate(height: 5, .insufficientPower(signed: 20, total: 50))
        ) {
            try HeaderVerifier.verify(
                header,
                certificate: weak,
                handOffs: [chain.handOff],
                trust: VerifiedChain.trust(genesis)
            )
        }
        // A header changed after signing no longer matches its certificate.
        let tampered = header.changing(stateRoot: SHA256().hash(utf8: "another state"))
        #expect {
            try HeaderVerifier.verify(
                tampered,
                certificate: chain.certificates[5]!,
                handOffs: [chain.handOff],
                trust: VerifiedChain.trust(genesis)
            )
        } throws: { error in
            guard case .certificate(5, .wrongBlock) = error as? HeaderVerificationError else { return false }
            return true
        }
        // A hand-off at or above the header it leads to.
        let late = ValidatorHandOff(header: header, certificate: chain.certificates[5]!, next: chain.new)
        #expect(throws: HeaderVerificationError.handOffOutOfOrder(height: 5)) {
            try HeaderVerifier.verify(
                header,
                certificate: chain.certificates[5]!,
                handOffs: [late],
                trust: VerifiedChain.trust(genesis)
            )
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
                trust: VerifiedChain.trust(other)
            )
        }
    }
}
