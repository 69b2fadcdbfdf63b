import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Node
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A validator admitted by governance on a network of real `civicd` processes joins and signs; removed, it is
/// cut off and the network goes on without it.
@Suite(.serialized) struct GovernanceProcessTests {
    func signers(_ network: ProcessNetwork, _ index: Int, at height: UInt64) async -> [String] {
        guard case .array(let values)? = await network.json(index, "/v1/blocks/\(height)")?["commit"]?["signers"]
        else { return [] }
        return values.compactMap { if case .string(let id) = $0 { id } else { nil } }
    }

    /// Submits `payload` from `name`'s department account to node `index`.
    func submit(
        _ network: ProcessNetwork,
        _ payload: TransactionPayload,
        by name: String,
        to index: Int
    ) async throws
        -> Digest
    {
        let transaction = try network.signed(payload, by: name)
        #expect(await network.submit([transaction], to: index) == 1)
        return transaction.id(hash: network.genesis.suite.suite.hashFunction)
    }

    @Test func anAdmittedValidatorJoinsAndSignsAndARemovedOneIsCutOff() async throws {
        let network = try await ProcessNetwork(validators: 4)
        try network.startAll()
        #expect(await network.reach(0, 2))

        // Zhejiang's department makes its node's home, as an operator would.
        let ports = try FreePorts.take(2)
        let home = "\(network.directory.path)/node4"
        let created = try await KilledProcess.run(
            KilledProcess.helper("civicd"),
            [
                "init", "--home", home, "--node-id", "330000", "--p2p-listen", "127.0.0.1:\(ports[0])",
                "--api-listen", "127.0.0.1:\(ports[1])",
            ],
            killAfter: nil
        )
        func field(_ prefix: String) throws -> [UInt8] {
            let line = try #require(created.split(separator: "\n").first { $0.hasPrefix(prefix) })
            return try #require(Hex.decode(line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)))
        }
        let consensusKey = try field("consensus key:")
        let pin = try #require(Digest(bytes: try field("tls key pin:")))
        try FileManager.default.copyItem(
            atPath: network.directory.path + "/genesis.json",
            toPath: home + "/genesis.json"
        )
        let account = LedgerFixture.key("zhejiang account", suite: network.genesis.suite.suite)
        let zhejiang = Member(
            id: OrgID("330000")!,
            name: "Zhejiang Civil Affairs Department",
            roles: RoleSet([.validator, .registrar]),
            accountKeys: [account.publicKey.bytes],
            validator: ValidatorInfo(
                power: 10,
                consensusKey: consensusKey,
                tlsKeyPin: pin,
                address: "127.0.0.1:\(ports[0])"
            )
        )

        // Beijing proposes; Shanghai and Guangdong approve: 30 of 40.
        let admission = try await submit(
            network,
            .governanceProposal(GovernanceProposal(action: .admitMember(zhejiang), expiresAtHeight: 100_000)),
            by: "beijing",
            to: 0
        )
        #expect(await network.commit([admission], on: [0]))
        for (name, index) in [("shanghai", 1), ("guangdong", 2)] {
            _ = try await submit(
                network,
                .governanceApproval(GovernanceApproval(proposalID: admission)),
                by: name,
                to: index
            )
        }
        #expect(
            await eventually { await network.json(0, "/v1/accounts/\(account.publicKey.hex)") != nil },
            "the admission never committed"
        )
        let admittedAt = await network.height(0) ?? 0

        // The new node starts from height 0, syncs, connects to all four and signs.
        let newcomer = network.adopt(api: "http://127.0.0.1:\(ports[1])")
        try network.start(newcomer)
        let connected = await eventually { await network.peers(newcomer) == 4 }
        #expect(connected, "the newcomer never connected")
        if !connected {
            let log = (try? String(contentsOfFile: network.logPath(newcomer), encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(20).joined(separator: "\n")
            Issue.record("newcomer log:\n\(tail)")
            return
        }
        var signed: UInt64?
        #expect(
            await eventually {
                let top = await network.height(0) ?? 0
                for height in (admittedAt + 1)..<max(top, admittedAt + 1)
                where await signers(network, 0, at: height).contains("330000") {
                    signed = height
                    return true
                }
                return false
            },
            "no certificate holds the newcomer's precommit"
        )
        #expect(await network.reach(newcomer, signed ?? 0))

        // Removal: 40 of 50 must approve now (Shanghai proposes; four approve).
        let removal = try await submit(
            network,
            .governanceProposal(GovernanceProposal(action: .removeMember(OrgID("330000")!), expiresAtHeight: 100_000)),
            by: "shanghai",
            to: 1
        )
        #expect(await network.commit([removal], on: [0]))
        for (name, index) in [("beijing", 0), ("guangdong", 2), ("sichuan", 3)] {
            _ = try await submit(
                network,
                .governanceApproval(GovernanceApproval(proposalID: removal)),
                by: name,
                to: index
            )
        }
        #expect(
            await eventually {
                for index in 0..<4 where await network.peers(index) != 3 { return false }
                return await network.peers(newcomer) == 0
            },
            "the removed node is still connected"
        )
        // The four go on committing without it, and it stays out.
        let removedAt = await network.height(0) ?? 0
        #expect(await network.reach(0, removedAt + 5))
        try await Task.sleep(nanoseconds: 2_000_000_000)
        #expect(await network.peers(newcomer) == 0)
        let top = await network.height(0) ?? 0
        for height in (removedAt + 2)...top {
            #expect(!(await signers(network, 0, at: height).contains("330000")), "signed at \(height) after removal")
        }
        let (same, height) = await network.identical([0, 1, 2, 3])
        #expect(same, "blocks differ at or below height \(height)")
    }
}
