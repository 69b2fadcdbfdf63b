import LedgerCore
import LedgerCrypto

/// Random values of every encodable type, for round-trip and fuzz tests.
extension SeededGenerator {
    mutating func digest() -> Digest { Digest(bytes: bytes(32))! }

    mutating func string(maxLength: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 -_/省民政厅婚姻登记")
        var text = ""
        for _ in 0..<Int.random(in: 0...maxLength / 3, using: &self) {
            text.append(alphabet.randomElement(using: &self)!)
        }
        return text
    }

    mutating func chainID() -> ChainID {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789._-")
        let length = Int.random(in: 1...ChainID.maximumLength, using: &self)
        return ChainID(String((0..<length).map { _ in alphabet.randomElement(using: &self)! }))!
    }

    mutating func payload() -> TransactionPayload {
        switch Int.random(in: 0..<3, using: &self) {
        case 0:
            return .certificateAnchor(
                CertificateAnchor(
                    certificateKey: digest(),
                    documentDigest: digest(),
                    kind: CertificateAnchor.Kind.allCases.randomElement(using: &self)!,
                    issuedAt: next()
                )
            )
        case 1:
            return .batchAnchor(
                BatchAnchor(
                    root: digest(),
                    leafCount: UInt32.random(in: 0...UInt32.max, using: &self),
                    label: string(maxLength: 120)
                )
            )
        default:
            return .subsidyBatch(subsidyBatch(tags: Int.random(in: 0...40, using: &self)))
        }
    }

    mutating func subsidyBatch(tags: Int) -> SubsidyBatch {
        SubsidyBatch(
            programme: string(maxLength: 30),
            period: string(maxLength: 15),
            recordCount: UInt32(tags),
            totalAmount: next(),
            recordsRoot: digest(),
            beneficiaryTags: (0..<tags).map { _ in digest() }
        )
    }

    mutating func signedTransaction() -> SignedTransaction {
        let sender = Bool.random(using: &self) ? [0x02] + bytes(32) : [0x04] + bytes(64)
        return SignedTransaction(
            transaction: Transaction(chainID: chainID(), sender: sender, sequence: next(), payload: payload()),
            signature: try! Signature(bytes: bytes(64))
        )
    }
}
