import LedgerCore
import LedgerCrypto

/// The JSON form of a receipt (`docs/receipts.md`): a readable summary, and the evidence as the hex of each
/// part's canonical encoding — the bytes that are hashed and signed, so nothing is lost or re-interpreted,
/// as Certificate Transparency carries its proofs. Reading checks that the summary is exactly what the
/// evidence says, so a hand-edited summary is refused rather than shown.
extension Receipt {
    public var json: JSONValue {
        let evidence: JSONValue
        switch content {
        case .certificate(let certificate):
            evidence = .object([
                JSONMember("subject", Self.hex(certificate.subject)),
                JSONMember("record", certificate.record.map(Self.hex) ?? .null),
                JSONMember("state_proof", Self.hex(certificate.proof)),
                JSONMember("header", Self.hex(certificate.header)),
                JSONMember("commit", Self.hex(certificate.certificate)),
                JSONMember("hand_offs", .array(certificate.handOffs.map(Self.hex))),
                JSONMember("transaction", certificate.transaction.map(Self.json) ?? .null),
            ])
        case .transaction(let transaction, let handOffs):
            evidence = .object([
                JSONMember("transaction", Self.json(transaction)),
                JSONMember("hand_offs", .array(handOffs.map(Self.hex))),
            ])
        case .batch(let batch, let handOffs):
            evidence = .object(Self.members(batch, handOffs))
        case .document(let document, let handOffs):
            evidence = .object(Self.members(document.batch, handOffs) + [JSONMember("path", Self.hex(document.path))])
        }
        let checkpoint: JSONValue =
            base.map {
                .object([
                    JSONMember("height", .unsigned($0.height)), JSONMember("header_hash", .string($0.headerHash.hex)),
                ])
            } ?? .null
        return .object([
            JSONMember("civic_receipt", .integer(Int64(Self.version))),
            JSONMember("kind", .string(kind)),
            JSONMember("checkpoint", checkpoint),
            JSONMember("summary", summary),
            JSONMember("evidence", evidence),
        ])
    }

    /// What the evidence claims, for people; a verifier checks the claims, never reads them from here.
    public var summary: JSONValue {
        var fields = [
            JSONMember("chain_id", .string(header.chainID.value)),
            JSONMember("height", .unsigned(header.height)),
            JSONMember("time", .string(UTCTimestamp.format(header.time))),
            JSONMember("validator_set_changes", .integer(Int64(handOffs.count))),
        ]
        switch content {
        case .certificate(let evidence):
            fields.append(JSONMember("issuer", .string(evidence.subject.issuer.value)))
            fields.append(JSONMember("certificate_key", .string(evidence.subject.key.hex)))
            guard let record = evidence.record else {
                fields.append(JSONMember("status", .string("not anchored")))
                break
            }
            fields.append(JSONMember("status", .string(record.status.description)))
            fields.append(JSONMember("certificate", record.json))
        case .transaction(let evidence, _):
            fields += [
                JSONMember("payload", .string(evidence.transaction.transaction.payload.name)),
                JSONMember("index", .unsigned(evidence.transactionProof.leafIndex)),
                JSONMember("result", .string(evidence.result.code)),
            ]
        case .batch(let evidence, _):
            fields += Self.summary(evidence)
        case .document(let evidence, _):
            fields +=
                Self.summary(evidence.batch) + [
                    JSONMember("leaf_index", .unsigned(evidence.path.leafIndex)),
                    JSONMember("tree_size", .unsigned(evidence.path.treeSize)),
                ]
        }
        return .object(fields)
    }

    public init(json bytes: [UInt8]) throws(ReceiptError) {
        guard bytes.count <= JSONParser.maximumSize else {
            throw .malformed(field: "file", reason: "larger than \(JSONParser.maximumSize) bytes")
        }
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw .notAReceipt("neither binary (CIVR) nor JSON: \(error)")
        }
        guard case .integer(let version)? = document["civic_receipt"] else {
            throw .notAReceipt("a JSON receipt has a \"civic_receipt\" version number")
        }
        guard (Int64(Self.oldestReadable)...Int64(Self.version)).contains(version) else {
            throw .unsupportedVersion(Int(clamping: version))
        }
        guard let evidence = document["evidence"], case .object = evidence else {
            throw .malformed(field: "evidence", reason: "expected an object")
        }
        // Version 2 has no base: its hand-offs start at genesis.
        let base = version >= 3 ? try Self.checked(try Self.base(document["checkpoint"])) : nil
        if version < 3, document["kind"] != .string("certificate"), document["kind"] != .string("transaction") {
            throw .malformed(
                field: "kind",
                reason: "format version \(version) has only certificate and transaction receipts"
            )
        }
        switch document["kind"] {
        case .string("certificate")?:
            let transaction: TransactionEvidence?
            if evidence["transaction"] == .null {
                transaction = nil
            } else {
                transaction = try Self.transaction(evidence["transaction"], "evidence.transaction")
            }
            let record: CertificateRecord?
            if evidence["record"] == .null {
                record = nil
            } else {
                record = try Self.decode(CertificateRecord.self, evidence["record"], "evidence.record")
            }
            self.init(
                .certificate(
                    CertificateEvidence(
                        subject: try Self.decode(CertificateRef.self, evidence["subject"], "evidence.subject"),
                        record: record,
                        proof: try Self.decode(StateProof.self, evidence["state_proof"], "evidence.state_proof"),
                        header: try Self.decode(BlockHeader.self, evidence["header"], "evidence.header"),
                        certificate: try Self.decode(CommitCertificate.self, evidence["commit"], "evidence.commit"),
                        handOffs: try Self.handOffs(evidence["hand_offs"]),
                        transaction: transaction
                    )
                ),
                base: base
            )
        case .string("transaction")?:
            self.init(
                .transaction(
                    try Self.transaction(evidence["transaction"], "evidence.transaction"),
                    handOffs: try Self.handOffs(evidence["hand_offs"])
                ),
                base: base
            )
        case .string("batch")?:
            self.init(.batch(try Self.batch(evidence), handOffs: try Self.handOffs(evidence["hand_offs"])), base: base)
        case .string("document")?:
            self.init(
                .document(
                    DocumentEvidence(
                        batch: try Self.batch(evidence),
                        path: try Self.decode(InclusionProof.self, evidence["path"], "evidence.path")
                    ),
                    handOffs: try Self.handOffs(evidence["hand_offs"])
                ),
                base: base
            )
        default:
            throw .malformed(
                field: "kind",
                reason: "expected \"certificate\", \"transaction\", \"batch\" or \"document\""
            )
        }
        // Compared in any key order: JSON stores and tools reorder keys, and the meaning is the same.
        guard let written = document["summary"], written.ignoringKeyOrder == summary.ignoringKeyOrder else {
            throw .summaryMismatch
        }
    }

    // MARK: - Parts

    private static func members(_ batch: BatchEvidence, _ handOffs: [ValidatorHandOff]) -> [JSONMember] {
        [
            JSONMember("root", .string(batch.root.hex)),
            JSONMember("record", batch.record.map(hex) ?? .null),
            JSONMember("state_proof", hex(batch.proof)),
            JSONMember("header", hex(batch.header)),
            JSONMember("commit", hex(batch.certificate)),
            JSONMember("hand_offs", .array(handOffs.map(hex))),
            JSONMember("transaction", batch.transaction.map(json) ?? .null),
        ]
    }

    private static func summary(_ batch: BatchEvidence) -> [JSONMember] {
        var fields = [JSONMember("batch_root", .string(batch.root.hex))]
        guard let record = batch.record else { return fields + [JSONMember("status", .string("not anchored"))] }
        fields += [
            JSONMember("status", .string("anchored")),
            JSONMember("anchored_by", .string(record.issuer.value)),
            JSONMember("anchored_at", .unsigned(record.height)),
            JSONMember("documents", .unsigned(record.leafCount)),
            JSONMember("label", .string(record.label)),
        ]
        return fields
    }

    private static func batch(_ evidence: JSONValue) throws(ReceiptError) -> BatchEvidence {
        guard case .string(let text)? = evidence["root"], let bytes = Hex.decode(text), let root = Digest(bytes: bytes)
        else {
            throw .malformed(field: "evidence.root", reason: "expected 64 hex digits")
        }
        return BatchEvidence(
            root: root,
            record: evidence["record"] == .null
                ? nil : try decode(BatchRecord.self, evidence["record"], "evidence.record"),
            proof: try decode(StateProof.self, evidence["state_proof"], "evidence.state_proof"),
            header: try decode(BlockHeader.self, evidence["header"], "evidence.header"),
            certificate: try decode(CommitCertificate.self, evidence["commit"], "evidence.commit"),
            transaction: evidence["transaction"] == .null
                ? nil : try transaction(evidence["transaction"], "evidence.transaction")
        )
    }

    private static func hex(_ value: some CanonicalEncodable) -> JSONValue { .string(Hex.encode(value.canonicalBytes)) }

    private static func json(_ evidence: TransactionEvidence) -> JSONValue {
        .object([
            JSONMember("tx", hex(evidence.transaction)),
            JSONMember("result", hex(evidence.result)),
            JSONMember("tx_proof", hex(evidence.transactionProof)),
            JSONMember("result_proof", hex(evidence.resultProof)),
            JSONMember("header", hex(evidence.header)),
            JSONMember("commit", hex(evidence.certificate)),
        ])
    }

    private static func transaction(_ value: JSONValue?, _ field: String) throws(ReceiptError) -> TransactionEvidence {
        guard let value, case .object = value else { throw .malformed(field: field, reason: "expected an object") }
        return TransactionEvidence(
            transaction: try decode(SignedTransaction.self, value["tx"], field + ".tx"),
            result: try decode(TransactionResult.self, value["result"], field + ".result"),
            transactionProof: try decode(InclusionProof.self, value["tx_proof"], field + ".tx_proof"),
            resultProof: try decode(InclusionProof.self, value["result_proof"], field + ".result_proof"),
            header: try decode(BlockHeader.self, value["header"], field + ".header"),
            certificate: try decode(CommitCertificate.self, value["commit"], field + ".commit")
        )
    }

    /// `null`, or `{"height": H, "header_hash": hex}`.
    private static func base(_ value: JSONValue?) throws(ReceiptError) -> CheckpointRef? {
        switch value {
        case .null?: return nil
        case .object?:
            guard case .integer(let height)? = value?["height"], height >= 0,
                case .string(let text)? = value?["header_hash"], let bytes = Hex.decode(text),
                let hash = Digest(bytes: bytes)
            else {
                throw .malformed(
                    field: "checkpoint",
                    reason: "expected {\"height\": H, \"header_hash\": 64 hex digits}"
                )
            }
            return CheckpointRef(height: UInt64(height), headerHash: hash)
        default:
            throw .malformed(field: "checkpoint", reason: "expected null or an object")
        }
    }

    private static func handOffs(_ value: JSONValue?) throws(ReceiptError) -> [ValidatorHandOff] {
        guard case .array(let items)? = value, items.count <= CertificateEvidence.maximumHandOffs else {
            throw .malformed(
                field: "evidence.hand_offs",
                reason: "expected an array of at most \(CertificateEvidence.maximumHandOffs)"
            )
        }
        var handOffs: [ValidatorHandOff] = []
        for (index, item) in items.enumerated() {
            handOffs.append(try decode(ValidatorHandOff.self, item, "evidence.hand_offs[\(index)]"))
        }
        return handOffs
    }

    private static func decode<T: CanonicalDecodable>(
        _ type: T.Type,
        _ value: JSONValue?,
        _ field: String
    ) throws(ReceiptError) -> T {
        guard case .string(let text)? = value, let bytes = Hex.decode(text) else {
            throw .malformed(field: field, reason: "expected hex")
        }
        do { return try T(canonicalBytes: bytes) } catch { throw .malformed(field: field, reason: error.description) }
    }
}
