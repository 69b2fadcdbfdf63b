import LedgerCore
import LedgerCrypto

/// Assembles receipts from a node's ledger (`docs/receipts.md`): what a verifier needs and nothing it must
/// trust the node for. Pure over `ReceiptSource`.
public struct ReceiptBuilder<Source: ReceiptSource> {
    public let source: Source
    public let rules: LedgerRules

    public init(source: Source, rules: LedgerRules) {
        self.source = source
        self.rules = rules
    }

    private var hash: any HashFunction { rules.suite.hashFunction }

    /// A certificate's receipt at `height` (default: the latest): its record or the proof it is absent, and,
    /// for a record, the transaction of its latest event. Its hand-offs start from genesis, or from the
    /// checkpoint at height `checkpoint` when one is named (`docs/receipts.md`).
    public func certificate(
        _ subject: CertificateRef,
        height: UInt64? = nil,
        checkpoint: UInt64? = nil
    ) throws(QueryError) -> Receipt {
        let proven = try LedgerQueries(reader: source).certificate(subject, height: height)
        var transaction: TransactionEvidence?
        if let record = proven.record, let event = record.history.last {
            transaction = try recording(subject, at: event.height)
        }
        return Receipt(
            .certificate(
                CertificateEvidence(
                    subject: subject,
                    record: proven.record,
                    proof: proven.proof,
                    header: proven.header,
                    certificate: try certificate(at: proven.height),
                    handOffs: try handOffs(below: proven.height, after: checkpoint),
                    transaction: transaction
                )
            ),
            base: try base(checkpoint)
        )
    }

    /// A batch root's receipt at the latest height: its record with the anchoring transaction, or the proof
    /// that it was never anchored. A document's holder adds its path (`DocumentEvidence`).
    public func batch(_ root: Digest, checkpoint: UInt64? = nil) throws(QueryError) -> Receipt {
        let proven = try LedgerQueries(reader: source).batch(root)
        var transaction: TransactionEvidence?
        if let record = proven.record {
            let block = try block(at: record.height)
            // The anchor of this root that applied (a copy may have been refused in the same block), found by
            // its stored result before any proof is built.
            for index in block.transactions.indices {
                guard case .batchAnchor(let anchor) = block.transactions[index].transaction.payload, anchor.root == root
                else { continue }
                let location: TransactionLocation?
                do { location = try source.locateTransaction(block.transactions[index].id(hash: hash)) } catch {
                    throw .unreadable(error.message)
                }
                guard location?.result.isApplied == true else { continue }
                transaction = try self.transaction(at: record.height, index: index, block: block)
                break
            }
            guard transaction != nil else {
                throw .inconsistent("block \(record.height) records batch \(root.hex) but holds no anchor of it")
            }
        }
        return Receipt(
            .batch(
                BatchEvidence(
                    root: root,
                    record: proven.record,
                    proof: proven.proof,
                    header: proven.header,
                    certificate: try certificate(at: proven.height),
                    transaction: transaction
                ),
                handOffs: try handOffs(below: proven.height, after: checkpoint)
            ),
            base: try base(checkpoint)
        )
    }

    /// A committed transaction's receipt, its hand-offs from genesis or from the checkpoint at height
    /// `checkpoint`; nil when the ledger has no transaction with this id.
    public func transaction(_ id: Digest, checkpoint: UInt64? = nil) throws(QueryError) -> Receipt? {
        let location: TransactionLocation?
        do { location = try source.locateTransaction(id) } catch { throw .unreadable(error.message) }
        guard let location else { return nil }
        let evidence = try transaction(at: location.height, index: Int(location.index))
        return Receipt(
            .transaction(evidence, handOffs: try handOffs(below: location.height, after: checkpoint)),
            base: try base(checkpoint)
        )
    }

    /// A checkpoint at `height` (`docs/verifier.md`, "Checkpoints"): its header, commit certificate and the
    /// set it names next, with the hand-offs that lead to it from genesis.
    public func checkpoint(at height: UInt64) throws(QueryError) -> Checkpoint {
        let next: ValidatorSet
        do { next = try source.validators(forHeight: height + 1, rules: rules) } catch {
            throw .unreadable("validators of height \(height + 1): \(error.message)")
        }
        return Checkpoint(
            handOffs: try handOffs(below: height),
            point: ValidatorHandOff(
                header: try block(at: height).header,
                certificate: try certificate(at: height),
                next: next
            )
        )
    }

    /// The hand-offs that lead to the validator set of `height`: from genesis, or those above `after`.
    public func handOffs(below height: UInt64, after: UInt64? = nil) throws(QueryError) -> [ValidatorHandOff] {
        let heights: [UInt64]
        do { heights = try source.validatorSetChanges(below: height) } catch { throw .unreadable(error.message) }
        var handOffs: [ValidatorHandOff] = []
        for changed in heights where changed > after ?? 0 {
            let next: ValidatorSet
            do { next = try source.validators(forHeight: changed + 1, rules: rules) } catch {
                throw .unreadable("validators of height \(changed + 1): \(error.message)")
            }
            handOffs.append(
                ValidatorHandOff(
                    header: try block(at: changed).header,
                    certificate: try certificate(at: changed),
                    next: next
                )
            )
        }
        return handOffs
    }

    // MARK: - Parts

    /// The checkpoint a receipt starts from. A receipt at or below it needs no hand-off: whoever holds the
    /// checkpoint knows every set up to it.
    private func base(_ checkpoint: UInt64?) throws(QueryError) -> CheckpointRef? {
        guard let checkpoint else { return nil }
        return CheckpointRef(height: checkpoint, headerHash: try block(at: checkpoint).header.hash(hash))
    }

    /// The transaction in block `height` that anchored or changed `subject`: the last one there that touched
    /// it and applied. (An anchor names its issuer, and only the issuer's applies, so a copy by another
    /// member is never taken for it.)
    private func recording(_ subject: CertificateRef, at height: UInt64) throws(QueryError) -> TransactionEvidence {
        let block = try block(at: height)
        for index in block.transactions.indices.reversed() {
            let touches: Bool
            switch block.transactions[index].transaction.payload {
            case .certificateAnchor(let anchor): touches = anchor.certificate == subject
            case .certificateStatusChange(let change): touches = change.certificate == subject
            default: touches = false
            }
            guard touches else { continue }
            let evidence = try transaction(at: height, index: index, block: block)
            if evidence.result.isApplied { return evidence }
        }
        throw .inconsistent(
            "block \(height) records an event of certificate \(subject) but holds no transaction for it"
        )
    }

    private func transaction(
        at height: UInt64,
        index: Int,
        block known: Block? = nil
    ) throws(QueryError)
        -> TransactionEvidence
    {
        let block: Block
        if let known { block = known } else { block = try self.block(at: height) }
        guard index < block.transactions.count else {
            throw .inconsistent("transaction \(index) of block \(height) is indexed but missing")
        }
        var results: [TransactionResult] = []
        for transaction in block.transactions {
            let location: TransactionLocation?
            do { location = try source.locateTransaction(transaction.id(hash: hash)) } catch {
                throw .unreadable(error.message)
            }
            // A transaction id appears once in a chain, so its location is this block's.
            guard let location, location.height == height else {
                throw .inconsistent("the result of a transaction in block \(height) is missing")
            }
            results.append(location.result)
        }
        let log = MerkleLog(hash: hash)
        let certificate = try certificate(at: height)
        do {
            return TransactionEvidence(
                transaction: block.transactions[index],
                result: results[index],
                transactionProof: try log.inclusionProof(
                    index: index,
                    leafHashes: block.transactions.map { log.leafHash($0.canonicalBytes) }
                ),
                resultProof: try log.inclusionProof(
                    index: index,
                    leafHashes: results.map { log.leafHash($0.canonicalBytes) }
                ),
                header: block.header,
                certificate: certificate
            )
        } catch {
            throw .inconsistent(error.reason)
        }
    }

    private func block(at height: UInt64) throws(QueryError) -> Block {
        let block: Block?
        do { block = try source.block(atHeight: height) } catch { throw .unreadable(error.message) }
        guard let block else { throw .noSuchHeight(height) }
        return block
    }

    private func certificate(at height: UInt64) throws(QueryError) -> CommitCertificate {
        let certificate: CommitCertificate?
        do { certificate = try source.commitCertificate(atHeight: height) } catch { throw .unreadable(error.message) }
        guard let certificate else { throw .inconsistent("block \(height) has no stored commit certificate") }
        return certificate
    }
}
