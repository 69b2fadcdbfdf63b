import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// The `civic submit` commands the worked examples do not show — batch, proposal, approve — against four real
/// nodes, and the input errors of the file-reading commands: each a clear message and exit 2, nothing sent.
@Suite(.serialized) struct ClientCommandsProcessTests {
    func civic(_ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
        try await HelperProcess.run("civic", arguments, in: directory)
    }

    @Test func batchProposalAndApprovalWorkEndToEnd() async throws {
        let network = try await ProcessNetwork(validators: 4)
        try network.startAll()
        let up = await network.reach(0, 1)
        #expect(up, "the network did not start")
        let work = network.directory.path
        let node = network.apis[0]
        func account(_ name: String) -> String { "\(work)/accounts/\(name).key" }
        func write(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(work)/\(name)"))
        }

        // A batch of three documents: one root on the ledger, one proof each in the proofs file.
        for index in 1...3 { try write("diploma \(index)", "doc\(index).pdf") }
        let batch = try await civic(
            [
                "submit", "batch", "--node", node, "--key", account("guangdong"), "--label", "2026-11 run 1",
                "--proofs", "proofs.json", "--wait", "doc1.pdf", "doc2.pdf", "doc3.pdf",
            ],
            in: work
        )
        #expect(batch.status == 0 && batch.output.contains("batch of 3 anchored"), "\(batch.output)")
        let proofs = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: work + "/proofs.json"))))
        let hash = network.genesis.suite.suite.hashFunction
        let log = MerkleLog(hash: hash)
        guard case .string(let rootText)? = proofs["root"], let root = Hex.decode(rootText).flatMap(Digest.init),
            case .array(let documents)? = proofs["documents"]
        else {
            Issue.record("proofs.json: \(proofs.serialized())")
            return
        }
        #expect(documents.count == 3)
        for (index, entry) in documents.enumerated() {
            guard case .array(let path)? = entry["hashes"] else { continue }
            let proof = InclusionProof(
                leafIndex: UInt64(index),
                treeSize: 3,
                hashes: path.compactMap { value in
                    guard case .string(let text) = value else { return nil }
                    return Hex.decode(text).flatMap(Digest.init)
                }
            )
            let document = try Data(contentsOf: URL(fileURLWithPath: "\(work)/doc\(index + 1).pdf"))
            #expect(throws: Never.self) {
                try log.verify(proof, leafHash: log.leafHash(hash.hash(Array(document)).bytes), root: root)
            }
        }

        // Governance: Sichuan's power goes from 10 to 20 by a proposal and two approvals (30 of 40 > 2/3).
        let sichuan = try #require(network.genesis.members.first { $0.id.value == "510000" })
        let validator = try #require(sichuan.validator)
        let raised = Member(
            id: sichuan.id,
            name: sichuan.name,
            roles: sichuan.roles,
            accountKeys: sichuan.accountKeys,
            validator: ValidatorInfo(
                power: 20,
                consensusKey: validator.consensusKey,
                tlsKeyPin: validator.tlsKeyPin,
                address: validator.address
            )
        )
        try write(raised.json.serialized(), "sichuan.json")
        let proposal = try await civic(
            ["submit", "proposal", "--node", node, "--key", account("beijing"), "--update", "sichuan.json", "--wait"],
            in: work
        )
        #expect(proposal.status == 0, "\(proposal.output)")
        let id = try #require(proposal.output.split(separator: "\n").first.map(String.init))
        for approver in ["shanghai", "guangdong"] {
            let approval = try await civic(
                [
                    "submit", "approve", "--node", network.apis[1], "--key", account(approver), "--proposal", id,
                    "--wait",
                ],
                in: work
            )
            #expect(approval.status == 0, "\(approval.output)")
        }
        let raisedPower = await eventually {
            guard case .array(let validators)? = await network.json(2, "/v1/validators")?["validators"] else {
                return false
            }
            return validators.contains { $0["id"] == .string("510000") && $0["power"] == .integer(20) }
        }
        #expect(raisedPower, "the validator set never showed Sichuan with power 20")
        let again = try await civic(
            ["submit", "approve", "--node", node, "--key", account("sichuan"), "--proposal", id, "--wait"],
            in: work
        )
        #expect(again.status == 1 && again.output.contains("proposal_closed"), "\(again.output)")
    }

    @Test func fileInputErrorsNameTheProblemAndSendNothing() async throws {
        let work = TemporaryDirectory("civic-inputs")
        try FileManager.default.createDirectory(atPath: work.path, withIntermediateDirectories: true)
        let key = work.path + "/key"
        #expect(try await civic(["keys", "new", "--out", key], in: work.path).status == 0)
        func write(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(work.path)/\(name)"))
        }
        try write(String(repeating: "ab", count: 32), "tag.key")
        // One person twice: once as printed, once by the first-generation 15-digit number of the same person.
        try write("110101199001011237,50000\n110101900101123,100\n", "twice.csv")
        try write("110101199001011237,fifty\n", "amount.csv")
        try write("110101199001011234,50000\n", "mistyped.csv")
        try write(
            "{\"id\": \"510000\", \"name\": \"Sichuan\", \"roles\": [\"judge\"], \"account_keys\": []}",
            "member.json"
        )
        // The node is never reached: every error is found first (an unreachable address would say so).
        let node = "http://127.0.0.1:1"
        let cases: [([String], String)] = [
            (
                [
                    "submit", "subsidy-batch", "--programme", "dibao", "--period", "2026-11", "--file", "twice.csv",
                    "--tag-key", "tag.key",
                ], "twice.csv:2: the same person as line 1"
            ),
            (
                [
                    "submit", "subsidy-batch", "--programme", "dibao", "--period", "2026-11", "--file", "amount.csv",
                    "--tag-key", "tag.key",
                ], "amount.csv:1: expected identity-number,amount"
            ),
            (
                [
                    "submit", "subsidy-batch", "--programme", "dibao", "--period", "2026-11", "--file", "amount.csv",
                    "--tag-key", "twice.csv",
                ], "the tag key must be at least 64 hex digits"
            ),
            (
                [
                    "submit", "subsidy-batch", "--programme", "dibao", "--period", "2026-11", "--file", "mistyped.csv",
                    "--tag-key", "tag.key",
                ], "mistyped.csv:1: the check character is 4; these digits need 7"
            ),
            (
                [
                    "submit", "subsidy-batch", "--programme", "dibao", "--period", "November", "--file", "twice.csv",
                    "--tag-key", "tag.key",
                ], "--period November is not a year"
            ),
            (["submit", "proposal", "--update", "member.json"], "$.roles[0]: unknown role \"judge\""),
            (["submit", "proposal", "--remove", "not an id!"], "--remove not an id! is not a member id"),
            (["submit", "approve", "--proposal", "xyz"], "--proposal must be 64 hex digits"),
            (
                ["submit", "status-change", "--number", "N", "--code", "x", "--status", "divorced"],
                "--status must be revoked, superseded or corrected"
            ),
            (
                ["submit", "status-change", "--number", "N", "--code", "110000-00", "--status", "revoked"],
                "--code must be the verification code printed on the certificate"
            ),
            (
                [
                    "submit", "status-change", "--number", "N", "--code", "110000-" + String(repeating: "0", count: 32),
                    "--status", "revoked", "--reason", "Zhang San divorced",
                ],
                "--reason must be 1-64 characters of a-z 0-9"
            ),
            (["submit", "batch", "--label", "x", "--proofs", "p.json", "missing.pdf"], "missing.pdf: no such file"),
        ]
        for (arguments, message) in cases {
            let result = try await civic(arguments + ["--node", node, "--key", key], in: work.path)
            #expect(result.status == 2 && result.output.contains(message), "\(arguments): \(result.output)")
            #expect(!result.output.contains("cannot reach"), "\(arguments) reached for the node")
        }
    }
}
