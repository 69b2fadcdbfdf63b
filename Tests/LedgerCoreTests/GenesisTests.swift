import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

struct GenesisTests {
    @Test func timestampsRoundTripAndRefuseNonsense() {
        #expect(UTCTimestamp.parse("1970-01-01T00:00:00Z") == 0)
        #expect(UTCTimestamp.parse("2026-11-24T00:00:00Z") == 1_795_478_400)
        #expect(UTCTimestamp.parse("2024-02-29T23:59:59Z") == 1_709_251_199)
        for bad in [
            "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-24 00:00:00Z", "2026-11-24T00:00:00+08:00",
            "1969-12-31T23:59:59Z",
        ] {
            #expect(UTCTimestamp.parse(bad) == nil, "\(bad)")
        }
        var random = SeededGenerator(seed: 5)
        for _ in 0..<10_000 {
            let seconds = UInt64.random(in: 0...4_102_444_800, using: &random)
            #expect(UTCTimestamp.parse(UTCTimestamp.format(seconds)) == seconds)
        }
    }

    @Test(arguments: CryptoSuiteID.allCases)
    func jsonRoundTripKeepsTheHash(suite: CryptoSuiteID) throws {
        let genesis = LedgerFixture(suite: suite).genesis
        let text = genesis.json.serialized()
        let parsed = try Genesis.parse(json: Array(text.utf8))
        #expect(parsed == genesis)
        #expect(parsed.hash == genesis.hash)
        #expect(try Genesis(canonicalBytes: genesis.canonicalBytes) == genesis)
    }

    @Test func hashChangesWithAnyField() {
        var genesis = LedgerFixture().genesis
        let original = genesis.hash
        genesis.consensus.timeoutProposeMs += 1
        #expect(genesis.hash != original)
        genesis = LedgerFixture().genesis
        genesis.duplicateSubsidy = .flag
        #expect(genesis.hash != original)
    }

    /// Every problem is reported, each at its JSON path.
    @Test func problemsAreReportedWithPaths() throws {
        let genesis = LedgerFixture().genesis
        guard case .object(var fields) = genesis.json else {
            Issue.record("not an object")
            return
        }
        fields[0] = JSONMember("chain_id", .string("Bad Chain"))
        fields.append(JSONMember("extra", .integer(1)))
        guard case .array(var members) = fields[5].value, case .object(var first) = members[0] else { return }
        first[2] = JSONMember("roles", .array([.string("validator"), .string("mayor")]))
        first[3] = JSONMember("account_keys", .array([.string("zz")]))
        members[0] = .object(first)
        fields[5] = JSONMember("members", .array(members))
        let text = JSONValue.object(fields).serialized()
        do {
            _ = try Genesis.parse(json: Array(text.utf8))
            Issue.record("accepted a broken genesis")
        } catch {
            let paths = Set(error.problems.map(\.path))
            #expect(
                paths.isSuperset(of: ["$.chain_id", "$.extra", "$.members[0].roles[1]", "$.members[0].account_keys[0]"])
            )
        }
    }

    @Test func semanticProblemsAreReported() throws {
        var genesis = LedgerFixture().genesis
        genesis.members.append(genesis.members[0])
        genesis.consensus.maximumBlockBytes = 10
        let paths = Set(genesis.problems.map(\.path))
        #expect(paths.contains("$.members[5].id"))
        #expect(paths.contains("$.members[5].account_keys[0]"))
        #expect(paths.contains("$.members[5].validator.consensus_key"))
        #expect(paths.contains("$.consensus.maximum_block_bytes"))
        #expect(throws: GenesisError.self) { try Genesis.parse(json: Array(genesis.json.serialized().utf8)) }
        // Structure alone is fine: tools that build a genesis step by step read it back.
        #expect((try? Genesis.parse(json: Array(genesis.json.serialized().utf8), checkRules: false)) != nil)
        #expect(throws: GenesisError.self) { try Genesis.parse(json: Array("[1, 2".utf8)) }
    }

    @Test func exampleConsortiumIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Genesis/example-consortium.json"
        )
        let genesis = try Genesis.parse(json: Array(try Data(contentsOf: url)))
        #expect(genesis.suite == .sm2SM3)
        #expect(genesis.members.filter { $0.roles.contains(.validator) }.count == 4)
        #expect(genesis.members.filter { $0.roles.contains(.charity) }.count == 2)
        #expect(genesis.members.filter { $0.observerNode != nil }.map(\.id.value) == ["AUDIT-NAO"])
    }

    /// A non-validator's node: survives JSON and canonical encoding, and is checked like a validator's.
    @Test func observerNodesRoundTripAndAreChecked() throws {
        let observer = Member(
            id: OrgID("COURT-1")!,
            name: "Provincial court",
            roles: RoleSet([.auditor]),
            accountKeys: [LedgerFixture.key("court", suite: Secp256k1SHA256Suite.shared).publicKey.bytes],
            validator: nil,
            observerNode: ObserverNode(tlsKeyPin: .of("court tls"), address: "127.0.0.1:26999")
        )
        let dialOnly = Member(
            id: OrgID("BANK-1")!,
            name: "A bank",
            roles: RoleSet([.auditor]),
            accountKeys: [LedgerFixture.key("bank", suite: Secp256k1SHA256Suite.shared).publicKey.bytes],
            validator: nil,
            observerNode: ObserverNode(tlsKeyPin: .of("bank tls"))
        )
        let genesis = LedgerFixture(extra: [observer, dialOnly]).genesis
        #expect(genesis.problems.isEmpty)
        let parsed = try Genesis.parse(json: Array(genesis.json.serialized().utf8))
        #expect(parsed == genesis)
        #expect(try Genesis(canonicalBytes: genesis.canonicalBytes) == genesis)
        #expect(parsed.members.last?.observerNode?.address == "")

        var broken = genesis
        let validator = broken.members[0]
        broken.members[5] = Member(
            id: observer.id,
            name: observer.name,
            roles: observer.roles,
            accountKeys: observer.accountKeys,
            validator: nil,
            observerNode: ObserverNode(tlsKeyPin: validator.validator!.tlsKeyPin, address: "nowhere")
        )
        let paths = Set(broken.problems.map(\.path))
        #expect(paths.contains("$.members[5].observer_node.tls_key_pin"))
        #expect(paths.contains("$.members[5].observer_node.address"))
        let both = Member(
            id: validator.id,
            name: validator.name,
            roles: validator.roles,
            accountKeys: validator.accountKeys,
            validator: validator.validator,
            observerNode: ObserverNode(tlsKeyPin: .of("second node"))
        )
        #expect(MemberValidation.problem(both, suite: genesis.suite.suite) != nil)
        #expect(throws: CanonicalDecodingError.self) { try Member(canonicalBytes: both.canonicalBytes) }
    }
}
