import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Feeds random and mutated byte strings to every decoder. Each must return a value or a
/// `CanonicalDecodingError` — never trap. A value that decodes must re-encode to the same bytes
/// (canonical: one value, one encoding). Set `CIVIC_FUZZ_INPUTS` to run more than the default.
struct DecoderFuzzTests {
    /// Inputs per decoder in the default suite: at least one million.
    static let inputsPerDecoder =
        ProcessInfo.processInfo.environment["CIVIC_FUZZ_INPUTS"].flatMap(Int.init) ?? 1_000_000

    typealias Decoder = ([UInt8]) -> [UInt8]?

    static func decoder<T: CanonicalCodable>(_ type: T.Type) -> Decoder {
        { bytes in (try? T(canonicalBytes: bytes))?.canonicalBytes }
    }

    static var decoders: [(String, Decoder)] {
        [
            ("SignedTransaction", decoder(SignedTransaction.self)),
            ("Transaction", decoder(Transaction.self)),
            ("TransactionPayload", decoder(TransactionPayload.self)),
            ("CertificateAnchor", decoder(CertificateAnchor.self)),
            ("CertificateStatusChange", decoder(CertificateStatusChange.self)),
            ("BatchAnchor", decoder(BatchAnchor.self)),
            ("Donation", decoder(Donation.self)),
            ("Disbursement", decoder(Disbursement.self)),
            ("SubsidyBatch", decoder(SubsidyBatch.self)),
            ("GovernanceProposal", decoder(GovernanceProposal.self)),
            ("GovernanceApproval", decoder(GovernanceApproval.self)),
            ("Member", decoder(Member.self)),
            ("Genesis", decoder(Genesis.self)),
            ("ChainID", decoder(ChainID.self)),
            ("InclusionProof", decoder(InclusionProof.self)),
            ("ConsistencyProof", decoder(ConsistencyProof.self)),
            ("CertificateRecord", decoder(CertificateRecord.self)),
            ("ProjectRecord", decoder(ProjectRecord.self)),
            ("ProposalRecord", decoder(ProposalRecord.self)),
            ("SubsidyConflictList", decoder(SubsidyConflictList.self)),
            ("TransactionResult", decoder(TransactionResult.self)),
            ("Equivocation", decoder(Equivocation.self)),
            ("EvidenceRecord", decoder(EvidenceRecord.self)),
        ]
    }

    /// Valid encodings of every type, by type name, to mutate: a decoder sees deep, nearly valid inputs of
    /// its own type, not only noise.
    static func seeds(_ random: inout SeededGenerator) -> [String: [[UInt8]]] {
        var seeds: [String: [[UInt8]]] = [:]
        func add(_ name: String, _ value: some CanonicalEncodable) {
            seeds[name, default: []].append(value.canonicalBytes)
        }
        for _ in 0..<200 {
            let signed = random.signedTransaction()
            add("SignedTransaction", signed)
            add("Transaction", signed.transaction)
            add("TransactionPayload", signed.transaction.payload)
            switch signed.transaction.payload {
            case .certificateAnchor(let value): add("CertificateAnchor", value)
            case .certificateStatusChange(let value): add("CertificateStatusChange", value)
            case .batchAnchor(let value): add("BatchAnchor", value)
            case .donation(let value): add("Donation", value)
            case .disbursement(let value): add("Disbursement", value)
            case .subsidyBatch(let value): add("SubsidyBatch", value)
            case .governanceProposal(let value): add("GovernanceProposal", value)
            case .governanceApproval(let value): add("GovernanceApproval", value)
            case .subsidyProgramme(let value): add("SubsidyProgramme", value)
            }
            let member = random.member()
            add("Member", member)
            add(
                "Genesis",
                Genesis(
                    chainID: random.chainID(),
                    suite: .sm2SM3,
                    genesisTime: random.next(),
                    members: [member, random.member()]
                )
            )
            add("ChainID", random.chainID())
            let signature = try! Signature(bytes: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) })
            let votes = (0..<2).map { index in
                SignedVote(
                    vote: Vote(
                        type: .precommit,
                        height: 7,
                        round: 1,
                        blockHash: index == 0 ? nil : .of("v\(index)"),
                        validatorIndex: 3
                    ),
                    signature: signature
                )
            }
            let proposals = (0..<2).map { index in
                SignedProposal(
                    proposal: Proposal(
                        height: 7,
                        round: 2,
                        blockHash: .of("p\(index)"),
                        polRound: -1,
                        proposerIndex: 1
                    ),
                    signature: signature
                )
            }
            add("Equivocation", Equivocation.votes(votes[0], votes[1]))
            add("Equivocation", Equivocation.proposals(proposals[0], proposals[1]))
            add(
                "EvidenceRecord",
                EvidenceRecord(evidence: .votes(votes[0], votes[1]), accused: member.id, committedAt: random.next())
            )
            let path = (0..<Int.random(in: 0...10, using: &random)).map { _ in random.digest() }
            add(
                "InclusionProof",
                InclusionProof(leafIndex: random.next() % 100, treeSize: random.next() % 100, hashes: path)
            )
            add(
                "ConsistencyProof",
                ConsistencyProof(oldSize: random.next() % 100, newSize: random.next() % 100, hashes: path)
            )
            let event = CertificateEvent(
                status: .revoked,
                by: member.id,
                height: random.next(),
                reason: random.reasonCode(),
                replacement: random.certificateRef()
            )
            add(
                "CertificateRecord",
                CertificateRecord(
                    documentCommitment: random.digest(),
                    kind: .marriage,
                    issuer: member.id,
                    history: [event, event]
                )
            )
            var project = ProjectRecord(charity: member.id, project: random.projectID())
            project.received = 10
            project.spent = 4
            add("ProjectRecord", project)
            add(
                "ProposalRecord",
                ProposalRecord(
                    proposer: member.id,
                    proposal: GovernanceProposal(action: random.governanceAction(), expiresAtHeight: 9),
                    createdAtHeight: 3,
                    approvals: [member.id],
                    status: .pending
                )
            )
            let payment = SubsidyTagRecord(payer: member.id, batch: random.digest(), height: 4)
            add(
                "SubsidyConflictList",
                SubsidyConflictList(conflicts: [SubsidyConflict(tag: random.digest(), first: payment, second: payment)])
            )
            add(
                "TransactionResult",
                TransactionResult(rejection: RejectionReason.allCases.randomElement(using: &random), message: "m")
            )
        }
        return seeds
    }

    static func mutate(_ input: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8(
                    1 << Int.random(in: 0..<8, using: &random)
                )
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = [0, 1, 0x7f, 0x80, 0xff].randomElement(
                    using: &random
                )!
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &random)...)
            case 3:
                bytes.insert(
                    UInt8.random(in: 0...255, using: &random),
                    at: Int.random(in: 0...bytes.count, using: &random)
                )
            case 4 where bytes.count >= 4:
                // Overwrite what may be a length prefix with an extreme value.
                let at = Int.random(in: 0...(bytes.count - 4), using: &random)
                let value: [UInt8] = [
                    [0xff, 0xff, 0xff, 0xff], [0, 0, 0, 0], [0x7f, 0xff, 0xff, 0xff], [0, 0, 1, 0],
                ].randomElement(using: &random)!
                bytes.replaceSubrange(at..<at + 4, with: value)
            default:
                bytes.append(contentsOf: random.bytes(Int.random(in: 1...8, using: &random)))
            }
        }
        return bytes
    }

    /// The parameterised test below runs one case per decoder; keep its range in step with the list.
    @Test func everyDecoderHasAFuzzCase() {
        #expect(Self.decoders.count == 23)
    }

    /// Yields every thousand inputs: the cases run on the test process's cooperative pool (two threads here),
    /// and 23 million inputs without a pause starved every async test beside them for a minute and more —
    /// `FloodTests` saw its raw peer connect and be closed as silent before it could look.
    @Test(arguments: 0..<23)
    func decoderSurvivesRandomAndMutatedInputs(index: Int) async {
        let (name, decode) = Self.decoders[index]
        var random = SeededGenerator(seed: 0xC1_71C0 + UInt64(index))
        let all = Self.seeds(&random)
        let own = all[name] ?? []
        let everything = all.values.flatMap { $0 }
        #expect(!own.isEmpty, "no seeds for \(name)")
        var decoded = 0
        for round in 0..<Self.inputsPerDecoder {
            if round % 1_000 == 0 { await Task.yield() }
            let input =
                round % 4 == 0
                ? random.bytes(Int.random(in: 0...96, using: &random))
                : Self.mutate(
                    round % 4 == 1 ? everything.randomElement(using: &random)! : own.randomElement(using: &random)!,
                    &random
                )
            if let reencoded = decode(input) {
                decoded += 1
                #expect(reencoded == input, "\(name): decoded input did not re-encode to itself (round \(round))")
            }
        }
        print("fuzz \(name): \(Self.inputsPerDecoder) inputs, \(decoded) decoded, 0 crashes")
    }
}
