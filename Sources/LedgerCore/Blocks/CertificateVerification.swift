import LedgerCrypto

/// Why a commit certificate does not prove its block final (`Consensus/SPEC.md` §7).
public enum CertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The certificate names another height or block than the one it is offered for.
    case wrongBlock(expectedHeight: UInt64, expectedHash: Digest, height: UInt64, hash: Digest)
    /// Signer indices must be strictly increasing: no duplicates, one order.
    case unorderedSigners(index: UInt16)
    case unknownSigner(index: UInt16, validators: Int)
    case badSignature(index: UInt16, validator: OrgID)
    /// The signers hold 2/3 of the power or less.
    case insufficientPower(signed: UInt64, total: UInt64)

    public var description: String {
        switch self {
        case .wrongBlock(let expectedHeight, let expectedHash, let height, let hash):
            return
                "certificate is for block \(hash.hex.prefix(16))… at height \(height), not \(expectedHash.hex.prefix(16))… at \(expectedHeight)"
        case .unorderedSigners(let index): return "signer \(index) is out of order or repeated"
        case .unknownSigner(let index, let validators):
            return "signer index \(index) is not in the validator set of \(validators)"
        case .badSignature(let index, let validator):
            return "signature \(index) is not \(validator)'s precommit for this block"
        case .insufficientPower(let signed, let total):
            return "signers hold \(signed) of \(total) voting power; more than two thirds is needed"
        }
    }
}

extension CommitCertificate {
    /// Checks that this certificate makes block `blockHash` at `height` final under `validators`, the set of
    /// that height, V(h) (SPEC §7): each signature is a precommit for the block by the validator at its index,
    /// indices strictly increase, and the signers hold more than 2/3 of the total power.
    public func verify(
        blockHash expectedHash: Digest,
        height expectedHeight: UInt64,
        validators: ValidatorSet,
        network: NetworkID,
        suite: any CryptoSuite
    ) throws(CertificateError) {
        guard height == expectedHeight, blockHash == expectedHash else {
            throw .wrongBlock(
                expectedHeight: expectedHeight,
                expectedHash: expectedHash,
                height: height,
                hash: blockHash
            )
        }
        var signedPower: UInt64 = 0
        var previous: UInt16?
        var checks: [SignatureCheck] = []
        checks.reserveCapacity(signatures.count)
        for entry in signatures {
            if let previous, entry.validatorIndex <= previous { throw .unorderedSigners(index: entry.validatorIndex) }
            previous = entry.validatorIndex
            let index = Int(entry.validatorIndex)
            guard index < validators.validators.count else {
                throw .unknownSigner(index: entry.validatorIndex, validators: validators.validators.count)
            }
            let validator = validators.validators[index]
            // try?: a key that does not decode is a bad signature, reported as one.
            guard let key = try? suite.publicKey(encoded: validator.consensusKey) else {
                throw .badSignature(index: entry.validatorIndex, validator: validator.id)
            }
            let vote = Vote(
                type: .precommit,
                height: height,
                round: round,
                blockHash: blockHash,
                validatorIndex: entry.validatorIndex
            )
            checks.append(
                SignatureCheck(message: vote.signedBytes(network: network), signature: entry.signature, publicKey: key)
            )
            signedPower += validator.power
        }
        // Every signature must hold, not only a quorum of them; they are checked on every core at once (a
        // receipt's hand-offs carry one certificate each, `docs/benchmarks.md`), the first bad one reported.
        if let bad = BatchVerifier.verify(checks, suite: suite).firstIndex(of: false) {
            let index = signatures[bad].validatorIndex
            throw .badSignature(index: index, validator: validators.validators[Int(index)].id)
        }
        let total = validators.totalPower
        // Integer form of signed > 2/3 · total (SPEC §3), exact for powers up to 2^40 each.
        guard 3 * signedPower > 2 * total else { throw .insufficientPower(signed: signedPower, total: total) }
    }
}
