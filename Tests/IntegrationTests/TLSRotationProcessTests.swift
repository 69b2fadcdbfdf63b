import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A node's TLS certificate renewed (same key) and its key rotated by governance, on real `civicd`
/// processes: it keeps or regains its connections and the network keeps committing (`docs/node.md`,
/// "TLS keys").
@Suite(.serialized) struct TLSRotationProcessTests {
    func fullyConnected(_ network: ProcessNetwork) async -> Bool {
        for index in 0..<network.size where await network.peers(index) != Int64(network.size - 1) { return false }
        return true
    }

    func civicd(_ arguments: [String]) async throws -> String {
        try await KilledProcess.run(KilledProcess.helper("civicd"), arguments, killAfter: nil)
    }

    @Test func aRenewedCertificateAndARotatedKeyKeepTheNodeConnected() async throws {
        let network = try await ProcessNetwork(validators: 4)
        try network.startAll()
        #expect(
            await eventually {
                guard await fullyConnected(network) else { return false }
                return await network.height(0) ?? 0 >= 2
            }
        )
        let home = { (index: Int) in "\(network.directory.path)/node\(index)" }

        // Renewal: a new certificate over the same key, presented after a restart; the pin is unchanged.
        let member = { (id: String) in network.genesis.members.first { $0.id == OrgID(id) } }
        let registered = try #require(member("310000")?.validator?.tlsKeyPin)
        let before = try String(contentsOfFile: home(1) + "/keys/tls.crt", encoding: .utf8)
        let renewal = try await civicd(["tls", "renew", "--home", home(1), "--days", "30"])
        #expect(renewal.contains("key pin unchanged: \(registered.hex)"), "\(renewal)")
        #expect(try String(contentsOfFile: home(1) + "/keys/tls.crt", encoding: .utf8) != before)
        await network.stop(1, signal: SIGTERM)
        try network.start(1)
        let restartedAt = await network.height(0) ?? 0
        #expect(await eventually { await fullyConnected(network) })
        #expect(await network.reach(1, restartedAt + 3))

        // Rotation: a new key waits beside the old; governance registers its pin (node 2's department proposes,
        // two others approve: 30 of 40); the node then presents it and its peers reconnect.
        let rotation = try await civicd(["tls", "rotate", "--home", home(2)])
        let line = try #require(rotation.split(separator: "\n").first { $0.hasPrefix("new key pin: ") })
        let pinBytes = try #require(Hex.decode(String(line.dropFirst("new key pin: ".count))))
        let newPin = try #require(Digest(bytes: pinBytes))
        let guangdong = try #require(member("440000"))
        let validator = try #require(guangdong.validator)
        let updated = Member(
            id: guangdong.id,
            name: guangdong.name,
            roles: guangdong.roles,
            accountKeys: guangdong.accountKeys,
            validator: ValidatorInfo(
                power: validator.power,
                consensusKey: validator.consensusKey,
                tlsKeyPin: newPin,
                address: validator.address
            )
        )
        let hash = network.genesis.suite.suite.hashFunction
        let proposal = try network.signed(
            .governanceProposal(GovernanceProposal(action: .updateMember(updated), expiresAtHeight: 100_000)),
            by: "guangdong"
        )
        #expect(await network.submit([proposal], to: 2) == 1)
        #expect(await network.commit([proposal.id(hash: hash)], on: [0]))
        for (name, index) in [("beijing", 0), ("shanghai", 1)] {
            let approval = try network.signed(
                .governanceApproval(GovernanceApproval(proposalID: proposal.id(hash: hash))),
                by: name
            )
            #expect(await network.submit([approval], to: index) == 1)
        }
        let rotated = { () -> Bool in
            let log = (try? String(contentsOfFile: network.logPath(2), encoding: .utf8)) ?? ""
            return log.contains("presenting a new TLS key")
                && !FileManager.default.fileExists(atPath: home(2) + "/keys/tls-next.key")
        }
        let presented = await eventually { rotated() }
        #expect(presented, "node 2 never presented its new key")
        if !presented {
            let log = (try? String(contentsOfFile: network.logPath(2), encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(20).joined(separator: "\n")
            Issue.record("node 2 log:\n\(tail)")
            return
        }
        let key = try String(contentsOf: URL(fileURLWithPath: home(2) + "/keys/tls.key"), encoding: .utf8)
        let certificate = try String(contentsOfFile: home(2) + "/keys/tls.crt", encoding: .utf8)
        #expect(try TLSIdentity(certificatePEM: certificate, privateKeyPEM: key).keyPin == newPin)
        // The peers' registries hold only the new pin now, so being connected means presenting it.
        let rotatedAt = await network.height(0) ?? 0
        #expect(await eventually { await fullyConnected(network) }, "node 2 did not regain its peers")
        #expect(await network.reach(2, rotatedAt + 3))
        // And after a restart it starts with the rotated key.
        await network.stop(2, signal: SIGTERM)
        try network.start(2)
        #expect(await eventually { await fullyConnected(network) })
        let (same, height) = await network.identical([0, 1, 2, 3])
        #expect(same, "blocks differ at or below height \(height)")
    }

}
