// Offline verification time of a certificate receipt (`Tools/bench-receipts.sh`, docs/benchmarks.md): builds a
// chain in a real RocksDB store whose validator set changes CHANGES times (one governance change per block,
// each a real proposal with approvals), anchors a certificate in block 1, makes its receipt at the last
// block, then reads and verifies it RUNS times from its JSON and binary forms, as `civic verify` does.
// With AFTER (issue 17, point 6), a checkpoint is taken where only the last AFTER changes are still to come,
// and the receipt that starts from it is measured beside the one from genesis, in the same run: reading the
// checkpoint file and pinning it (checking its own hand-offs from genesis) counted, as `civic verify
// --checkpoint` does on every run. Prints figures; asserts nothing.
// VALIDATORS (default 3) sets the size of the validator set: the fixture's three and more of power 10.
//   receipt-bench CHANGES RUNS [secp256k1-sha256|sm2-sm3] [AFTER [VALIDATORS]]
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Verifier

let arguments = CommandLine.arguments
guard arguments.count >= 3, let changes = Int(arguments[1]), let runs = Int(arguments[2]), runs > 0,
    let suite = CryptoSuiteID(rawValue: arguments.count > 3 ? arguments[3] : "secp256k1-sha256")
else {
    print("usage: receipt-bench CHANGES RUNS [secp256k1-sha256|sm2-sm3] [AFTER [VALIDATORS]]")
    exit(2)
}
let after = arguments.count > 4 ? Int(arguments[4]).flatMap { $0 == 0 ? nil : $0 } : nil
guard after.map({ 0 <= $0 && $0 <= changes }) ?? true else {
    print("AFTER is from 0 (no checkpoint) to CHANGES")
    exit(2)
}

let validatorCount = arguments.count > 5 ? Int(arguments[5]) ?? 0 : 3
guard validatorCount >= 3 else {
    print("VALIDATORS is at least 3")
    exit(2)
}
let chain = try StoredChain(
    suite: suite,
    extra: (3..<validatorCount).map { index in
        let id = OrgID("V\(index)")!
        return LedgerFixture.member(id, [.validator], key: LedgerFixture.key(id.value, suite: suite.suite))
    }
)
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
let builder = ReceiptBuilder(source: chain.store, rules: chain.rules)
var checkpoint: [UInt8]?
let delay = Int(chain.fixture.genesis.consensus.validatorSetDelay)
for change in 0..<changes {
    if change == changes - (after ?? 0), after != nil {
        // The changes so far have taken effect: the checkpoint is the latest header.
        for _ in 0..<delay { try chain.append([]) }
        let height = chain.headers.keys.max() ?? 1
        checkpoint = Array(try builder.checkpoint(at: height).json(hash: chain.hash).serialized().utf8)
    }
    let results = try chain.append(
        try chain.changeSichuanPower(to: 11 + UInt64(change), from: change == 0 ? 10 : 10 + UInt64(change))
    )
    guard results.allSatisfy(\.isApplied) else { fatalError("a governance change was refused: \(results)") }
}
// Let the last change take effect, so the receipt's header is signed by the newest set.
for _ in 0..<delay { try chain.append([]) }

let receipt = try builder.certificate(subject)
let json = Array(receipt.json.serialized().utf8)
let binary = receipt.binary
guard receipt.handOffs.count == changes else {
    fatalError("\(receipt.handOffs.count) hand-offs for \(changes) changes")
}

let genesis = chain.fixture.genesis

/// Verification times of `bytes`, sorted. With `checkpoint`, reading and pinning it is timed on every run when
/// `pinEachRun` (a cold `civic verify --checkpoint`), else done once before (a verifier that keeps its trust).
func measure(
    _ bytes: [UInt8],
    digest: Digest,
    genesis: Genesis,
    checkpoint: [UInt8]? = nil,
    pinEachRun: Bool = true
) throws -> [Double] {
    var times: [Double] = []
    func pin() throws -> TrustedHistory {
        try TrustedHistory(
            genesis: genesis,
            checkpoints: try checkpoint.map { [try Checkpoint(json: $0, hash: genesis.suite.suite.hashFunction)] } ?? []
        )
    }
    let kept = pinEachRun ? nil : try pin()
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        let trust = try kept ?? pin()
        let parsed = try Receipt(file: bytes)
        guard case .certificate(let evidence) = parsed.content else { fatalError("not a certificate receipt") }
        let verdict = CertificateVerifier.verify(
            documentDigest: digest,
            number: number,
            code: code,
            evidence: evidence,
            trust: trust
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
func report(_ form: String, _ bytes: [UInt8], _ times: [Double]) {
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
for (form, bytes) in [("json", json), ("binary", binary)] {
    report("from genesis, " + form, bytes, try measure(bytes, digest: digest, genesis: genesis))
}
if let checkpoint, let after {
    let height = try Checkpoint(json: checkpoint, hash: chain.hash).height
    let short = try builder.certificate(subject, checkpoint: height)
    guard short.handOffs.count == after else { fatalError("\(short.handOffs.count) hand-offs after the checkpoint") }
    for (form, bytes) in [("json", Array(short.json.serialized().utf8)), ("binary", short.binary)] {
        let kept = try measure(bytes, digest: digest, genesis: genesis, checkpoint: checkpoint, pinEachRun: false)
        report("from the checkpoint at \(height) (\(after) changes after it, pinned once), " + form, bytes, kept)
        let cold = try measure(bytes, digest: digest, genesis: genesis, checkpoint: checkpoint)
        report(
            "the same, reading and pinning the checkpoint (\(checkpoint.count) bytes) each run, " + form,
            bytes,
            cold
        )
    }
}

// With CIVIC_BENCH_FILES=DIR, the files a verifier would be given, for timing the page on them
// (Tools/bench-verify-page.sh): the genesis, the document, the receipt from genesis, and with AFTER the
// checkpoint and the receipt from it, with the question in vectors' form (docs/vectors/README.md).
if let directory = ProcessInfo.processInfo.environment["CIVIC_BENCH_FILES"] {
    let root = URL(fileURLWithPath: directory)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    func write(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: root.appendingPathComponent(name)) }
    try write("genesis.json", genesis.json.serializedBytes())
    try write("document.txt", document)
    try write("receipt-from-genesis.json", json)
    var question: [JSONMember] = [
        JSONMember("suite", .string(suite.rawValue)), JSONMember("changes", .integer(Int64(changes))),
        JSONMember("number", .string(number)), JSONMember("code", .string(code.description)),
    ]
    if let checkpoint, let after {
        let height = try Checkpoint(json: checkpoint, hash: chain.hash).height
        try write("checkpoint.json", checkpoint)
        try write(
            "receipt-from-checkpoint.json",
            Array(try builder.certificate(subject, checkpoint: height).json.serialized().utf8)
        )
        question.append(JSONMember("after", .integer(Int64(after))))
    }
    try write("question.json", JSONValue.object(question).serializedBytes())
}
