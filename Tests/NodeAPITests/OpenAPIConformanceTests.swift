import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import NodeAPI
import OpenAPIKit
import Testing
import Verifier
import Yams

/// `docs/openapi.yaml` matches the server: it is a valid OpenAPI 3.1 document, it lists exactly the routes the
/// server has, and every operation, asked on a live node, answers with a documented status and a body of the
/// documented shape — for good requests and for malformed ones.
extension NodeAPITests {
    static var specPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path
    }

    @Test func theSpecIsValidOpenAPIAndListsExactlyTheServersRoutes() throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let document = try YAMLDecoder().decode(OpenAPI.Document.self, from: text)
        try document.validate()
        var documented: Set<String> = []
        for (path, item) in document.paths {
            guard let item = item.pathItemValue else { continue }
            for endpoint in item.endpoints { documented.insert("\(endpoint.method.rawValue) \(path.rawValue)") }
        }
        let served = Set(NodeAPI.endpoints.map { "\($0.method.rawValue) \($0.path)" })
        #expect(
            documented == served,
            "documented only: \(documented.subtracting(served)); served only: \(served.subtracting(documented))"
        )
    }

    @Test func everyOperationAnswersWithItsDocumentedShapes() async throws {
        let spec = try #require(
            try Yams.load(yaml: String(contentsOfFile: Self.specPath, encoding: .utf8)) as? [String: Any]
        )
        let checker = JSONSchemaChecker(spec: spec)
        let paths = try #require(spec["paths"] as? [String: Any])
        try await withNode { base, account, genesis in
            let hash = SHA256()
            let document = Array("a marriage certificate".utf8)
            let number = "GD-2026-000123"
            let code = VerificationCode(issuer: OrgID("440000")!, secret: CertificateSecret(bytes: Array(0..<16))!)
            let subject = CertificateRef(code: code, number: number, hash: hash)
            let certificatePath = "/v1/certificates/\(subject.issuer)/\(subject.key.hex)"
            let payloads: [TransactionPayload] = [
                .certificateAnchor(
                    CertificateAnchor(
                        certificate: subject,
                        documentCommitment: CertificateAnchor.documentCommitment(
                            documentDigest: hash.hash(document),
                            secret: code.secret,
                            hash: hash
                        ),
                        kind: .marriage
                    )
                ),
                Payloads.donation("flood-relief-2026", 5_000),
                Payloads.programme("dibao"),
            ]
            let signed = try payloads.enumerated().map { sequence, payload in
                try SignedTransaction.signed(payload, sequence: UInt64(sequence), by: account, on: genesis)
            }
            // Submitted through the documented endpoints: one waits for its commit, the other goes in a batch.
            let batch = try await APIRequest.send(
                "POST",
                base + "/v1/txs/batch",
                body: Array("{\"txs\": [\"\(Hex.encode(signed[0].canonicalBytes))\"]}".utf8),
                contentType: "application/json"
            )
            try check(checker, paths, "/v1/txs/batch", "post", batch)
            let waited = try await APIRequest.send(
                "POST",
                base + "/v1/txs?wait=10",
                body: signed[1].canonicalBytes,
                contentType: "application/octet-stream"
            )
            #expect(waited.status == 200, "the wait ends with the commit")
            try check(checker, paths, "/v1/txs", "post", waited)
            let registered = try await APIRequest.send(
                "POST",
                base + "/v1/txs?wait=10",
                body: signed[2].canonicalBytes,
                contentType: "application/octet-stream"
            )
            #expect(registered.status == 200, "the programme is registered")
            let txHash = signed[0].id(hash: hash).hex
            let samples: [String: String] = [
                "/v1/txs/{hash}": "/v1/txs/\(txHash)",
                "/v1/txs/{hash}/receipt": "/v1/txs/\(txHash)/receipt",
                "/v1/certificates/{issuer}/{key}": certificatePath,
                "/v1/certificates/{issuer}/{key}/receipt": certificatePath + "/receipt",
                // A root nobody anchored: the receipt proves its absence.
                "/v1/batches/{root}/receipt": "/v1/batches/\(String(repeating: "ab", count: 32))/receipt",
                "/v1/projects/{project}": "/v1/projects/flood-relief-2026",
                "/v1/charities/{charity}/projects/{project}": "/v1/charities/440000/projects/flood-relief-2026",
                "/v1/subsidies/conflicts": "/v1/subsidies/conflicts?programme=440000/dibao&period=2026-11",
                "/v1/programmes/{owner}/{name}": "/v1/programmes/440000/dibao",
                "/v1/headers/{height}": "/v1/headers/1",
                "/v1/blocks/{height}": "/v1/blocks/1",
                "/v1/accounts/{key}": "/v1/accounts/\(account.publicKey.hex)",
            ]
            for (template, value) in paths {
                guard let operations = value as? [String: Any], operations["get"] != nil else { continue }
                let path = samples[template] ?? template
                #expect(!path.contains("{"), "no sample request for \(template)")
                let response = try await APIRequest.send("GET", base + path)
                #expect(response.status == 200, "\(path) answered \(response.status)")
                try check(checker, paths, template, "get", response)
            }
            // The binary twin of a receipt carries the same evidence (blocks may commit between the two requests,
            // so the headers may differ; the record and the recording transaction may not).
            let binary = try await APIRequest.send("GET", base + certificatePath + "/receipt?format=binary")
            let json = try await APIRequest.send("GET", base + certificatePath + "/receipt")
            guard case .certificate(let fromBinary) = try Receipt(file: binary.body).content,
                case .certificate(let fromJSON) = try Receipt(file: json.body).content
            else {
                Issue.record("not certificate receipts")
                return
            }
            #expect(fromBinary.record != nil && fromBinary.record == fromJSON.record)
            #expect(fromBinary.transaction == fromJSON.transaction && fromBinary.subject == subject)
            // Malformed parameters get documented problem documents.
            let malformed: [(String, String)] = [
                ("/v1/txs/{hash}", "/v1/txs/xyz"), ("/v1/txs/{hash}/receipt", "/v1/txs/12/receipt"),
                ("/v1/certificates/{issuer}/{key}", "/v1/certificates/440000/00"),
                ("/v1/certificates/{issuer}/{key}", "/v1/certificates/no%20spaces/\(subject.key.hex)"),
                ("/v1/certificates/{issuer}/{key}", "/v1/certificates/330000/\(subject.key.hex)"),
                ("/v1/certificates/{issuer}/{key}/receipt", certificatePath + "/receipt?format=pdf"),
                ("/v1/projects/{project}", "/v1/projects/no%20spaces"),
                ("/v1/charities/{charity}/projects/{project}", "/v1/charities/440000/projects/unknown"),
                ("/v1/subsidies/conflicts", "/v1/subsidies/conflicts?programme=dibao&period=2026-11"),
                ("/v1/subsidies/conflicts", "/v1/subsidies/conflicts?programme=440000/dibao&period=2026-7"),
                ("/v1/programmes/{owner}/{name}", "/v1/programmes/440000/Dibao"),
                ("/v1/programmes/{owner}/{name}", "/v1/programmes/330000/dibao"),
                ("/v1/headers/{height}", "/v1/headers/0"), ("/v1/blocks/{height}", "/v1/blocks/999999"),
                ("/v1/accounts/{key}", "/v1/accounts/zz"),
                ("/v1/txs/{hash}", "/v1/txs/\(String(repeating: "0", count: 64))"),
            ]
            for (template, path) in malformed {
                let response = try await APIRequest.send("GET", base + path)
                #expect((400..<500).contains(response.status), "\(path) answered \(response.status)")
                try check(checker, paths, template, "get", response)
            }
        }
    }

    /// The response's status is documented for the operation, and its JSON body has the documented shape.
    func check(
        _ checker: JSONSchemaChecker,
        _ paths: [String: Any],
        _ template: String,
        _ method: String,
        _ response: APIRequest.Response,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let operation = (paths[template] as? [String: Any])?[method] as? [String: Any]
        let responses = try #require(operation?["responses"] as? [String: Any], sourceLocation: sourceLocation)
        guard var documented = responses["\(response.status)"] as? [String: Any] else {
            Issue.record(
                "\(method) \(template): status \(response.status) is not documented",
                sourceLocation: sourceLocation
            )
            return
        }
        if let reference = documented["$ref"] as? String {
            documented =
                (checker.spec["components"] as? [String: Any]).flatMap { components in
                    (components["responses"] as? [String: Any])?[String(reference.split(separator: "/").last ?? "")]
                } as? [String: Any] ?? [:]
        }
        let content = documented["content"] as? [String: Any] ?? [:]
        guard let body = try? JSONParser.parse(response.body) else {
            #expect(
                content["application/json"] == nil || template == "/metrics",
                "\(template): not JSON",
                sourceLocation: sourceLocation
            )
            return
        }
        let schema = ((content["application/json"] ?? content["application/problem+json"]) as? [String: Any])?["schema"]
        let found = checker.violations(of: body, against: try #require(schema, sourceLocation: sourceLocation))
        #expect(found.isEmpty, "\(method) \(template) (\(response.status)): \(found)", sourceLocation: sourceLocation)
    }
}
