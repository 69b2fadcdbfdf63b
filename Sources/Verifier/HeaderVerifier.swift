import LedgerCore
import LedgerCrypto

/// Why a header cannot be trusted from the genesis file (`docs/verifier.md`).
public enum HeaderVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The genesis file's initial validators could not be read.
    case genesisUnreadable(String)
    case wrongChain(expected: ChainID, found: ChainID, height: UInt64)
    /// Hand-offs must climb strictly and stay below the header they lead to.
    case handOffOutOfOrder(height: UInt64)
    /// A header names a validator set other than the one trusted at its height.
    case unexpectedValidatorSet(height: UInt64)
    /// A hand-off's header does not name the new set it carries as the next one.
    case nextSetMismatch(height: UInt64)
    case certificate(height: UInt64, CertificateError)
    /// Evidence that disagrees with a pinned checkpoint: another set handed to, or another header at its
    /// height. Either the evidence is forged, or the network signed two histories.
    case contradictsCheckpoint(height: UInt64)

    public var description: String {
        switch self {
        case .genesisUnreadable(let reason): return "the genesis validators could not be read: \(reason)"
        case .wrongChain(let expected, let found, let height):
            return "the header at height \(height) is for chain \(found), the genesis file is for \(expected)"
        case .handOffOutOfOrder(let height):
            return "the validator-set change at height \(height) is out of order"
        case .unexpectedValidatorSet(let height):
            return "the header at height \(height) names a validator set that was never handed over to"
        case .nextSetMismatch(let height):
            return "the header at height \(height) does not name the validator set its change carries"
        case .certificate(let height, let error): return "the commit certificate of height \(height): \(error)"
        case .contradictsCheckpoint(let height):
            return
                "the evidence at height \(height) contradicts a pinned checkpoint: it is forged, or the network signed two histories"
        }
    }
}

/// Trusts a block header starting from the genesis file alone, as a light client does: the genesis
/// validators are trusted for the first heights; each hand-off, made final by the set trusted before it,
/// hands trust to the next set; the header must name the set trusted at its height and carry a certificate
/// in which that set's members holding more than 2/3 of its power sign it (`Consensus/SPEC.md` §1, §7).
/// Pure: no disk, network or clock.
public enum HeaderVerifier {
    /// The genesis validators: V(h) for every height before the first change takes effect.
    public static func genesisValidators(_ genesis: Genesis) throws(HeaderVerificationError) -> ValidatorSet {
        var state = InMemoryState()
        state.apply(genesis.initialState)
        do {
            return try ValidatorSet.load(from: state, keys: StateKeys(hash: genesis.suite.suite.hashFunction))
        } catch {
            throw .genesisUnreadable(error.description)
        }
    }

    /// Checks `header` and its `certificate` against what `trust` knows, through `handOffs` (in height order).
    /// Returns the history extended by those hand-offs: its `validators(at: header.height)` signed the header.
    @discardableResult
    public static func verify(
        _ header: BlockHeader,
        certificate: CommitCertificate,
        handOffs: [ValidatorHandOff],
        trust: TrustedHistory
    ) throws(HeaderVerificationError) -> TrustedHistory {
        guard header.chainID == trust.genesis.chainID else {
            throw .wrongChain(expected: trust.genesis.chainID, found: header.chainID, height: header.height)
        }
        let extended = try trust.following(handOffs, below: header.height)
        try extended.check(header, certificate)
        return extended
    }

    /// `verify` as the named checks a report shows: chain, validator sets, header and commit certificate, ending
    /// at the first that fails. Also returns the history extended by the hand-offs when all passed.
    public static func checks(
        _ header: BlockHeader,
        certificate: CommitCertificate,
        handOffs: [ValidatorHandOff],
        trust: TrustedHistory
    ) -> (checks: [VerificationCheck], history: TrustedHistory?) {
        let genesis = trust.genesis
        let hash = genesis.suite.suite.hashFunction
        do {
            let history = try verify(header, certificate: certificate, handOffs: handOffs, trust: trust)
            let signers = history.validators(at: header.height)
            // Hand-offs below what was known only confirmed it; those above it moved trust on.
            let changes = handOffs.filter { $0.header.height >= trust.horizon }.count
            let signed = certificate.signatures.reduce(UInt64(0)) { total, entry in
                total + signers.validators[Int(entry.validatorIndex)].power
            }
            let checks = [
                VerificationCheck(
                    "chain",
                    passed: true,
                    "the evidence is for chain \(genesis.chainID.value), as the genesis file"
                ),
                VerificationCheck(
                    "validator sets",
                    passed: true,
                    "trusting \(trust.trustDescription): "
                        + (changes == 0
                            ? "the set it trusts for height \(header.height) signs it"
                            : "\(changes) further validator-set hand-off\(changes == 1 ? "" : "s") followed to height \(header.height)")
                ),
                VerificationCheck(
                    "header",
                    passed: true,
                    "block \(header.height) hashes to \(header.hash(hash).hex.prefix(16))…, the block its certificate signs"
                ),
                VerificationCheck(
                    "commit certificate",
                    passed: true,
                    "block \(header.height) is final: signed by validators holding \(signed) of \(signers.totalPower) voting power"
                ),
            ]
            return (checks, history)
        } catch {
            if case .wrongChain = error { return ([VerificationCheck("chain", passed: false, error.description)], nil) }
            var checks = [
                VerificationCheck("chain", passed: true, "the evidence is for chain \(genesis.chainID.value)")
            ]
            guard case .certificate(let height, let reason) = error, height == header.height else {
                checks.append(VerificationCheck("validator sets", passed: false, error.description))
                return (checks, nil)
            }
            checks.append(
                VerificationCheck(
                    "validator sets",
                    passed: true,
                    "the header names the validator set trusted at its height"
                )
            )
            if case .wrongBlock = reason {
                checks.append(VerificationCheck("header", passed: false, error.description))
            } else {
                checks.append(
                    VerificationCheck(
                        "header",
                        passed: true,
                        "block \(header.height) is the block its certificate signs"
                    )
                )
                checks.append(VerificationCheck("commit certificate", passed: false, error.description))
            }
            return (checks, nil)
        }
    }

    /// Checks `header` and its `certificate` under a set already trusted for its height.
    static func check(
        _ header: BlockHeader,
        _ certificate: CommitCertificate,
        under trusted: ValidatorSet,
        genesis: Genesis
    ) throws(HeaderVerificationError) {
        let suite = genesis.suite.suite
        guard header.chainID == genesis.chainID else {
            throw .wrongChain(expected: genesis.chainID, found: header.chainID, height: header.height)
        }
        guard header.validatorSetHash == trusted.hash(suite.hashFunction) else {
            throw .unexpectedValidatorSet(height: header.height)
        }
        do {
            try certificate.verify(
                blockHash: header.hash(suite.hashFunction),
                height: header.height,
                validators: trusted,
                network: genesis.network,
                suite: suite
            )
        } catch {
            throw .certificate(height: header.height, error)
        }
    }
}
