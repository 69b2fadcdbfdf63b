import Foundation
import LedgerCore
import LedgerCrypto
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
            ("BatchAnchor", decoder(BatchAnchor.self)),
            ("SubsidyBatch", decoder(SubsidyBatch.self)),
            ("ChainID", decoder(ChainID.self)),
            ("InclusionProof", decoder(InclusionProof.self)),
            ("ConsistencyProof", decoder(ConsistencyProof.self)),
        ]
    }

    /// Valid encodings of each type, to mutate: a decoder sees deep, nearly valid inputs, not only noise.
    static func seeds(_ random: inout SeededGenerator) -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for _ in 0..<64 {
            let signed = random.signedTransaction()
            seeds.append(signed.canonicalBytes)
            seeds.append(signed.transaction.canonicalBytes)
            seeds.append(signed.transaction.payload.canonicalBytes)
            switch signed.transaction.payload {
            case .certificateAnchor(let anchor): seeds.append(anchor.canonicalBytes)
            case .batchAnchor(let batch): seeds.append(batch.canonicalBytes)
            case .subsidyBatch(let batch): seeds.append(batch.canonicalBytes)
            }
            seeds.append(random.chainID().canonicalBytes)
            let path = (0..<Int.random(in: 0...10, using: &random)).map { _ in random.digest() }
            seeds.append(
                InclusionProof(leafIndex: random.next() % 100, treeSize: random.next() % 100, hashes: path)
                    .canonicalBytes
            )
            seeds.append(
                ConsistencyProof(oldSize: random.next() % 100, newSize: random.next() % 100, hashes: path)
                    .canonicalBytes
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
        #expect(Self.decoders.count == 9)
    }

    @Test(arguments: 0..<9)
    func decoderSurvivesRandomAndMutatedInputs(index: Int) {
        let (name, decode) = Self.decoders[index]
        var random = SeededGenerator(seed: 0xC1_71C0 + UInt64(index))
        let seeds = Self.seeds(&random)
        var decoded = 0
        for round in 0..<Self.inputsPerDecoder {
            let input =
                round % 4 == 0
                ? random.bytes(Int.random(in: 0...96, using: &random))
                : Self.mutate(seeds[Int.random(in: 0..<seeds.count, using: &random)], &random)
            if let reencoded = decode(input) {
                decoded += 1
                #expect(reencoded == input, "\(name): decoded input did not re-encode to itself (round \(round))")
            }
        }
        print("fuzz \(name): \(Self.inputsPerDecoder) inputs, \(decoded) decoded, 0 crashes")
    }
}
