import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Who may submit what, and replay protection.
struct AuthenticationRulesTests {
    @Test func replaysAndWrongSequencesAreRefused() {
        var ledger = LedgerFixture()
        let signed = ledger.sign(Payloads.anchor("A"), key: ledger.keys[LedgerFixture.guangdong]!)
        #expect(ledger.execute([signed])[0].isApplied)
        #expect(ledger.execute([signed])[0].rejection == .badSequence)
        let skipped = ledger.sign(Payloads.anchor("B"), key: ledger.keys[LedgerFixture.guangdong]!, sequence: 5)
        #expect(ledger.execute([skipped])[0].rejection == .badSequence)
    }

    /// Once authenticated, a refused transaction is used up: it cannot be replayed later, when the rules
    /// might let it through (here: after the project received more money).
    @Test func refusedTransactionCannotBeReplayedLater() {
        var ledger = LedgerFixture()
        let charityKey = ledger.keys[LedgerFixture.charity]!
        ledger.submit(Payloads.donation("p", 100), from: LedgerFixture.charity)
        let tooMuch = ledger.sign(Payloads.disbursement("p", 150), key: charityKey)
        #expect(ledger.execute([tooMuch])[0].rejection == .overspend)
        ledger.submit(Payloads.donation("p", 100), from: LedgerFixture.charity)
        #expect(ledger.execute([tooMuch])[0].rejection == .badSequence)
    }

    @Test func forgedWrongChainAndUnknownSendersAreRefusedWithoutUsingTheSequence() throws {
        var ledger = LedgerFixture()
        let key = ledger.keys[LedgerFixture.guangdong]!
        let good = ledger.sign(Payloads.anchor("A"), key: key)
        let forged = SignedTransaction(
            transaction: good.transaction,
            signature: try Signature(bytes: [UInt8](repeating: 7, count: 64))
        )
        #expect(ledger.execute([forged])[0].rejection == .badSignature)
        let otherChain = ledger.sign(Payloads.anchor("A"), key: key, chain: "civic-other")
        #expect(ledger.execute([otherChain])[0].rejection == .wrongChain)
        let stranger = LedgerFixture.key("stranger", suite: ledger.suite)
        #expect(ledger.execute([ledger.sign(Payloads.anchor("A"), key: stranger)])[0].rejection == .unknownAccount)
        // None of these used up sequence 0.
        #expect(ledger.execute([good])[0].isApplied)
    }

    /// Issue 16, point 6: a transaction signed for another network — same keys, same chain id, another
    /// genesis — is refused without using the sequence; signed for this one, it applies.
    @Test func aTransactionSignedForAnotherGenesisIsRefused() {
        var ledger = LedgerFixture()
        let key = ledger.keys[LedgerFixture.guangdong]!
        let elsewhere = ledger.sign(Payloads.anchor("R"), key: key, genesisHash: .of("another network's genesis"))
        #expect(ledger.execute([elsewhere])[0].rejection == .badSignature)
        #expect(ledger.execute([ledger.sign(Payloads.anchor("R"), key: key)])[0].isApplied)
    }

    /// Every payload type × every role (a member holding only that role), plus a removed member and an
    /// unknown key: exactly the required role passes the authorisation check.
    @Test func authorisationMatrix() throws {
        let suite = Secp256k1SHA256Suite.shared
        var extra: [Member] = []
        var soloKeys: [Role: PrivateKey] = [:]
        for (index, role) in Role.allCases.enumerated() {
            let key = LedgerFixture.key("solo \(role)", suite: suite)
            soloKeys[role] = key
            extra.append(LedgerFixture.member(OrgID("SOLO-\(index)")!, [role], key: key, power: 1))
        }
        let payloads: [TransactionPayload] = [
            Payloads.anchor("M"), Payloads.statusChange("M", .revoked),
            .batchAnchor(BatchAnchor(root: .of("m"), leafCount: 1, label: "")), Payloads.donation("m", 5),
            Payloads.disbursement("m", 5), Payloads.subsidy(["m"]), Payloads.programme("m"),
            .governanceProposal(GovernanceProposal(action: .removeMember(LedgerFixture.auditor), expiresAtHeight: 999)),
            .governanceApproval(GovernanceApproval(proposalID: .of("none"))),
        ]
        var checked = 0
        for payload in payloads {
            for role in Role.allCases {
                var ledger = LedgerFixture(extra: extra)
                let result = ledger.execute([ledger.sign(payload, key: soloKeys[role]!)])[0]
                let required = LedgerRules.requiredRole(for: payload)
                if role == required {
                    #expect(result.rejection != .roleNotAllowed, "\(role) may submit \(payload.tag)")
                } else {
                    #expect(result.rejection == .roleNotAllowed, "\(role) must not submit \(payload.tag)")
                }
                checked += 1
            }
            var ledger = LedgerFixture(extra: extra)
            let stranger = LedgerFixture.key("unknown", suite: suite)
            #expect(ledger.execute([ledger.sign(payload, key: stranger)])[0].rejection == .unknownAccount)
            ledger.state.apply([
                StateWrite(
                    key: ledger.stateKeys.member(LedgerFixture.charity),
                    value: MemberRecord(member: ledger.genesis.members[3], removed: true, changedAtHeight: 1)
                        .canonicalBytes
                )
            ])
            let removed = ledger.execute([ledger.sign(payload, key: ledger.keys[LedgerFixture.charity]!)])[0]
            #expect(removed.rejection == .memberRemoved)
            checked += 2
        }
        #expect(checked == payloads.count * (Role.allCases.count + 2))
    }

    @Test func requiredRolesAreAsDocumented() {
        #expect(LedgerRules.requiredRole(for: Payloads.anchor("x")) == .registrar)
        #expect(LedgerRules.requiredRole(for: Payloads.donation("x", 1)) == .charity)
        #expect(LedgerRules.requiredRole(for: Payloads.subsidy(["x"])) == .payer)
        #expect(LedgerRules.requiredRole(for: Payloads.programme("x")) == .payer)
        #expect(
            LedgerRules.requiredRole(for: .governanceApproval(GovernanceApproval(proposalID: .of("p")))) == .validator
        )
    }
}
