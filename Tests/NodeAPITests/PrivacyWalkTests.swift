import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Node
import NodeAPI
import Testing
import Verifier

/// `docs/privacy.md`: an outsider who reads every public route of a live node — every block, header,
/// transaction, receipt and record — and tries to recover certificate numbers or document digests from what
/// it sees, fails; the holder of a certificate, with what is printed on it, finds its record.
extension NodeAPITests {
    /// Twenty marriage certificates with sequential numbers, two of them changed later, then the walk and the
    /// attack. The same attack on what version 1 published (the key H(number ‖ digest) next to the digest)
    /// recovers every number: that is finding 3 of issue 16, and the control that the attack can succeed.
    @Test func publicDataYieldsNoCertificateNumberOrDocument() async throws {
        try await withNode { base, account, genesis, node in
            let hash = SHA256()
            var random = SeededGenerator(seed: 16)
            let issuer = OrgID("440000")!
            let numbers = (1...20).map { String(format: "GD-2026-%06d", $0) }
            let codes = numbers.map { _ in VerificationCode(issuer: issuer, secret: .random(using: &random)) }
            let digests = numbers.map { hash.hash(Array("Marriage certificate \($0): Zhang San and Li Si".utf8)) }
            let subjects = zip(codes, numbers).map { CertificateRef(code: $0, number: $1, hash: hash) }
            var payloads: [TransactionPayload] = subjects.indices.map { index in
                .certificateAnchor(
                    CertificateAnchor(
                        certificate: subjects[index],
                        documentCommitment: CertificateAnchor.documentCommitment(
                            documentDigest: digests[index],
                            secret: codes[index].secret,
                            hash: hash
                        ),
                        kind: .marriage
                    )
                )
            }
            for (index, status) in [(0, CertificateStatus.corrected), (1, .revoked)] {
                payloads.append(
                    .certificateStatusChange(
                        CertificateStatusChange(
                            certificate: subjects[index],
                            newStatus: status,
                            reason: ReasonCode("clerical-correction")!,
                            replacement: nil
                        )
                    )
                )
            }
            let signed = try payloads.enumerated().map { sequence, payload in
                try SignedTransaction.signed(payload, sequence: UInt64(sequence), by: account, on: genesis)
            }
            let batch = try await APIRequest.send(
                "POST",
                base + "/v1/txs/batch",
                body: Array(signed.map { $0.canonicalBytes }.map(lengthPrefixed).joined()),
                contentType: "application/octet-stream"
            )
            #expect(batch.status == 200)
            let last = try #require(signed.last).id(hash: hash).hex
            try #require(
                await eventually {
                    let answer = try? document(try await APIRequest.send("GET", base + "/v1/txs/\(last)"))
                    return answer?["status"] == .string("committed")
                }
            )

            let walk = try await PublicWalk.of(base, height: node.consensus.committedHeight())
            let gets = Set(NodeAPI.endpoints.filter { $0.method == .get }.map(\.path))
            #expect(walk.visited == gets, "every public route is walked")
            #expect(walk.certificates.count >= numbers.count, "the walk saw the anchors")

            // Nothing readable: no number, no document digest, in any answer or any encoded byte.
            for number in numbers {
                #expect(!walk.contains(Array(number.utf8)), "\(number) is visible")
            }
            for digest in digests {
                #expect(!walk.contains(digest.bytes) && !walk.contains(Array(digest.hex.utf8)), "a digest is visible")
            }
            // Nothing recoverable: every candidate number of the format, against every public digest.
            let candidates = (1...2_000).map { String(format: "GD-2026-%06d", $0) }
            #expect(Attack.recover(candidates, from: walk.digests, hash: hash).isEmpty)
            // The holder, with the number and code printed on the certificate, finds the record.
            for subject in subjects { #expect(walk.certificates.contains(subject)) }
            // The control: what version 1 published falls to the same attack, every number of it.
            var published = Set<Digest>()
            for (number, digest) in zip(numbers, digests) {
                published.insert(digest)
                published.insert(Attack.versionOneKey(number, digest, hash: hash))
            }
            #expect(Attack.recover(candidates, from: published, hash: hash) == Set(numbers))
        }
    }
}

/// Everything a node's public GET routes show, followed from `/v1/status` through every block.
struct PublicWalk {
    let base: String
    var visited: Set<String> = []
    var bodies: [[UInt8]] = []
    /// Every 32-byte value seen: hex in an answer, or a digest field of a transaction in a receipt.
    var digests: Set<Digest> = []
    var certificates: Set<CertificateRef> = []

    static func of(_ base: String, height: UInt64) async throws -> PublicWalk {
        var walk = PublicWalk(base: base)
        for (template, path) in [
            ("/v1/status", "/v1/status"), ("/v1/members", "/v1/members"), ("/v1/validators", "/v1/validators"),
            ("/v1/evidence", "/v1/evidence"), ("/metrics", "/metrics"), ("/v1/checkpoint", "/v1/checkpoint"),
            ("/verify", "/verify"),
            ("/v1/subsidies/conflicts", "/v1/subsidies/conflicts?programme=440000/dibao&period=2026-11"),
            ("/v1/programmes/{owner}/{name}", "/v1/programmes/440000/dibao"),
            ("/v1/projects/{project}", "/v1/projects/none"),
            ("/v1/charities/{charity}/projects/{project}", "/v1/charities/440000/projects/none"),
        ] {
            _ = try await walk.get(template, path)
        }
        var transactions: [String] = []
        for height in 1...height {
            _ = try await walk.get("/v1/headers/{height}", "/v1/headers/\(height)")
            if case .array(let ids)? = try await walk.get("/v1/blocks/{height}", "/v1/blocks/\(height)")?["txs"] {
                transactions += ids.compactMap { if case .string(let id) = $0 { id } else { nil } }
            }
        }
        for id in transactions {
            _ = try await walk.get("/v1/txs/{hash}", "/v1/txs/\(id)")
            let receipt = try await walk.raw("/v1/txs/{hash}/receipt", "/v1/txs/\(id)/receipt?format=binary")
            guard case .transaction(let evidence, _) = try Receipt(file: receipt).content else { continue }
            let transaction = evidence.transaction.transaction
            _ = try await walk.get("/v1/accounts/{key}", "/v1/accounts/\(Hex.encode(transaction.sender))")
            switch transaction.payload {
            case .certificateAnchor(let anchor):
                walk.certificates.insert(anchor.certificate)
                walk.digests.formUnion([anchor.certificate.key, anchor.documentCommitment])
            case .certificateStatusChange(let change):
                walk.certificates.insert(change.certificate)
                walk.digests.insert(change.certificate.key)
                if let replacement = change.replacement { walk.digests.insert(replacement.key) }
            default: break
            }
        }
        // A batch root anyone could name (none is anchored here): the answer is a proof of absence.
        let root = String(repeating: "ab", count: 32)
        _ = try await walk.raw("/v1/batches/{root}/receipt", "/v1/batches/\(root)/receipt?format=binary")
        for certificate in walk.certificates {
            let path = "/v1/certificates/\(certificate.issuer)/\(certificate.key.hex)"
            _ = try await walk.get("/v1/certificates/{issuer}/{key}", path)
            _ = try await walk.get("/v1/certificates/{issuer}/{key}/receipt", path + "/receipt")
        }
        return walk
    }

    /// The answer's JSON (nil for other bodies); every hex string in it joins `digests` when it is 32 bytes.
    mutating func get(_ template: String, _ path: String) async throws -> JSONValue? {
        let body = try await raw(template, path)
        // try?: a body that is not JSON (metrics, a binary receipt) has no document to collect from.
        guard let document = try? JSONParser.parse(body) else { return nil }
        collect(document)
        return document
    }

    mutating func raw(_ template: String, _ path: String) async throws -> [UInt8] {
        let response = try await APIRequest.send("GET", base + path)
        visited.insert(template)
        bodies.append(response.body)
        return response.body
    }

    private mutating func collect(_ value: JSONValue) {
        switch value {
        case .string(let text):
            if let bytes = Hex.decode(text) {
                bodies.append(bytes)
                if let digest = Digest(bytes: bytes) { digests.insert(digest) }
            }
        case .array(let items): items.forEach { collect($0) }
        case .object(let members): members.forEach { collect($0.value) }
        default: break
        }
    }

    func contains(_ needle: [UInt8]) -> Bool {
        bodies.contains { Data($0).range(of: Data(needle)) != nil }
    }
}

/// The outsider's best effort without a certificate in hand: every derivation the ledger has ever used, with
/// every public digest in every slot a document digest or secret could take.
enum Attack {
    static func recover(_ candidates: [String], from visible: Set<Digest>, hash: SHA256) -> Set<String> {
        var found = Set<String>()
        for number in candidates {
            if visible.contains(hash.hash(Array(number.utf8))) { found.insert(number) }
            for digest in visible {
                let asSecret = CertificateSecret(bytes: Array(digest.bytes.prefix(CertificateSecret.byteCount)))!
                if visible.contains(versionOneKey(number, digest, hash: hash))
                    || visible.contains(CertificateAnchor.key(number: number, secret: asSecret, hash: hash))
                {
                    found.insert(number)
                }
            }
        }
        return found
    }

    /// The certificate key before issue 16: H("civicledger/certificate-key/1" ‖ number ‖ document digest).
    static func versionOneKey(_ number: String, _ digest: Digest, hash: SHA256) -> Digest {
        var writer = CanonicalWriter()
        writer.write("civicledger/certificate-key/1")
        writer.write(number)
        writer.write(digest)
        return hash.hash(writer.bytes)
    }
}
