// Offline verification time of a certificate receipt (`Tools/bench-receipts.sh`, docs/benchmarks.md): builds a
// chain in a real RocksDB store whose validator set changes CHANGES times (one governance change per block,
// each a real proposal with approvals), anchors a certificate in block 1, makes its receipt at the last
// block, then reads and verifies it RUNS times from its JSON and binary forms, as `civic verify` does.
// Prints figures; asserts nothing.
//   receipt-bench CHANGES RUNS [secp256k1-sha256|sm2-sm3]
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Verifier

let arguments = CommandLine.arguments
guard arguments.count >= 3, let changes = Int(arguments[1]), let runs = Int(arguments[2]), runs > 0,
    let suite = CryptoSuiteID(rawValue: arguments.count > 3 ? arguments[3] : "secp256k1-sha256")
else {
    print("usage: receipt-bench CHANGES RUNS [secp256k1-sha256|sm2-sm3]")
    exit(2)
}

let chain = try StoredChain(suite: suite)
let document = Array("Marriage e-certificate GD-2026-000123 (sample)".utf8)
let digest = chain.hash.hash(document)
let number = "GD-2026-000123"
var random = SystemRandomNumberGenerator()
let code = VerificationCode(issuer: LedgerFixture.guangdong, secret: .random(using: &random))
let subject = CertificateRef(code: code, number: number, hash: chain.hash)
let commitment = CertificateAnchor.documentCommitment(documentDigest: digest, secret: code.secret, hash: chain.hash)
let anchor = try chain.sign(
    .certificateAnchor(CertificateAnchor(certificate: subject, documentCommitment: commitment, kind: .marriage)),
    by: LedgerFixture.guangdong
)
try chain.append([anchor])
for change in 0..<changes {
    let results = try chain.append(try chain.changeSichuanPower(to: 11 + UInt64(change)))
    guard results.allSatisfy(\.isApplied) else { fatalError("a governance change was refused: \(results)") }
}
// Let the last change take effect, so the receipt's header is signed by the newest set.
for _ in 0..<Int(chain.fixture.genesis.consensus.validatorSetDelay) { try chain.append([]) }

let receipt = try ReceiptBuilder(source: chain.store, rules: chain.rules).certificate(subject)
let json = Array(receipt.json.serialized().utf8)
let binary = receipt.binary
guard receipt.handOffs.count == changes else {
    fatalError("\(receipt.handOffs.count) hand-offs for \(changes) changes")
}

let genesis = chain.fixture.genesis

func measure(_ bytes: [UInt8], digest: Digest, genesis: Genesis) throws -> [Double] {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        let parsed = try Receipt(file: bytes)
        guard case .certificate(let evidence) = parsed.content else { fatalError("not a certificate receipt") }
        let verdict = CertificateVerifier.verify(
            documentDigest: digest,
            number: number,
            code: code,
            evidence: evidence,
            trust: try TrustedHistory(genesis: genesis)
        )
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        guard verdict.isValid else { fatalError("the receipt did not verify: \(verdict.checks)") }
    }
    return times.sorted()
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

let validators = receipt.handOffs.last?.next.validators.count ?? 3
print(
    "suite \(suite.rawValue), \(changes) validator-set change(s), \(validators) validators, height \(receipt.header.height)"
)
for (form, bytes) in [("json", json), ("binary", binary)] {
    let times = try measure(bytes, digest: digest, genesis: genesis)
    print(
        String(
            format: "%@: %d bytes, verify p50 %.2f ms, p99 %.2f ms (%d runs)",
            form,
            bytes.count,
            percentile(times, 0.5),
            percentile(times, 0.99),
            runs
        )
    )
}
