import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Governance: a change takes effect only when approvals hold more than 2/3 of validator power; removed
/// members are refused; rotated keys stop working.
struct GovernanceRulesTests {
    static let newcomer = OrgID("320000")!

    func admission(_ ledger: LedgerFixture, key: PrivateKey) -> TransactionPayload {
        .governanceProposal(
            GovernanceProposal(
                action: .admitMember(LedgerFixture.member(Self.newcomer, [.registrar], key: key)),
                expiresAtHeight: 100
            )
        )
    }

    @Test func admissionNeedsMoreThanTwoThirdsOfPower() throws {
        var ledger = LedgerFixture()
        let key = LedgerFixture.key("jiangsu", suite: ledger.suite)
        ledger.keys[Self.newcomer] = key
        // Three validators of power 10: one approval is 10/30, two are 20/30 = exactly 2/3, not more.
        let proposed = ledger.submit(admission(ledger, key: key), from: LedgerFixture.guangdong)
        #expect(proposed.isApplied && proposed.message.contains("10 of 30"))
        let proposalID = ledger.sign(
            admission(ledger, key: key),
            key: ledger.keys[LedgerFixture.guangdong]!,
            sequence: 0
        )
        .id(hash: ledger.suite.hashFunction)
        #expect(
            ledger.submit(Payloads.anchor("J", issuer: Self.newcomer), from: Self.newcomer).rejection == .unknownAccount
        )

        let approve = TransactionPayload.governanceApproval(GovernanceApproval(proposalID: proposalID))
        let second = ledger.submit(approve, from: LedgerFixture.zhejiang)
        #expect(second.isApplied && second.message.contains("20 of 30"))
        #expect(ledger.read(ProposalRecord.self, ledger.stateKeys.proposal(proposalID))?.status == .pending)
        #expect(
            ledger.submit(Payloads.anchor("J", issuer: Self.newcomer), from: Self.newcomer).rejection == .unknownAccount
        )
        #expect(ledger.submit(approve, from: LedgerFixture.zhejiang).rejection == .alreadyApproved)

        let third = ledger.submit(approve, from: LedgerFixture.sichuan)
        #expect(third.isApplied && third.message.contains("executed"))
        #expect(ledger.read(ProposalRecord.self, ledger.stateKeys.proposal(proposalID))?.status == .executed)
        #expect(ledger.submit(Payloads.anchor("J", issuer: Self.newcomer), from: Self.newcomer).isApplied)
        #expect(ledger.read(MemberRegistry.self, ledger.stateKeys.registry)?.members.last == Self.newcomer)
        #expect(ledger.submit(approve, from: LedgerFixture.sichuan).rejection == .proposalClosed)
    }

    @Test func onlyValidatorsProposeOrApprove() {
        var ledger = LedgerFixture()
        let key = LedgerFixture.key("jiangsu", suite: ledger.suite)
        for id in [LedgerFixture.charity, LedgerFixture.auditor] {
            #expect(ledger.submit(admission(ledger, key: key), from: id).rejection == .roleNotAllowed)
            let approve = TransactionPayload.governanceApproval(GovernanceApproval(proposalID: .of("x")))
            #expect(ledger.submit(approve, from: id).rejection == .roleNotAllowed)
        }
        let approve = TransactionPayload.governanceApproval(GovernanceApproval(proposalID: .of("nothing")))
        #expect(ledger.submit(approve, from: LedgerFixture.guangdong).rejection == .proposalNotFound)
    }

    @Test func removedMemberIsRefusedAfterwards() {
        var ledger = LedgerFixture()
        let remove = TransactionPayload.governanceProposal(
            GovernanceProposal(action: .removeMember(LedgerFixture.charity), expiresAtHeight: 100)
        )
        #expect(ledger.submit(Payloads.donation("p", 10), from: LedgerFixture.charity).isApplied)
        ledger.submit(remove, from: LedgerFixture.guangdong)
        let id = ledger.sign(remove, key: ledger.keys[LedgerFixture.guangdong]!, sequence: 0).id(
            hash: ledger.suite.hashFunction
        )
        ledger.submit(.governanceApproval(GovernanceApproval(proposalID: id)), from: LedgerFixture.zhejiang)
        #expect(ledger.submit(Payloads.donation("p", 10), from: LedgerFixture.charity).isApplied)
        ledger.submit(.governanceApproval(GovernanceApproval(proposalID: id)), from: LedgerFixture.sichuan)
        #expect(ledger.submit(Payloads.donation("p", 10), from: LedgerFixture.charity).rejection == .memberRemoved)
    }

    @Test func rotatedKeyStopsAndNewKeyStartsAtSequenceZero() {
        var ledger = LedgerFixture()
        let oldKey = ledger.keys[LedgerFixture.sichuan]!
        let newKey = LedgerFixture.key("sichuan rotated", suite: ledger.suite)
        var updated = LedgerFixture.member(LedgerFixture.sichuan, [.validator, .registrar], key: newKey)
        updated = Member(
            id: updated.id,
            name: updated.name,
            roles: updated.roles,
            accountKeys: [newKey.publicKey.bytes],
            validator: updated.validator
        )
        let rotate = TransactionPayload.governanceProposal(
            GovernanceProposal(action: .updateMember(updated), expiresAtHeight: 50)
        )
        ledger.submit(rotate, from: LedgerFixture.sichuan)
        let id = ledger.sign(rotate, key: oldKey, sequence: 0).id(hash: ledger.suite.hashFunction)
        ledger.submit(.governanceApproval(GovernanceApproval(proposalID: id)), from: LedgerFixture.guangdong)
        let result = ledger.submit(
            .governanceApproval(GovernanceApproval(proposalID: id)),
            from: LedgerFixture.zhejiang
        )
        #expect(result.message.contains("executed"))
        #expect(
            ledger.execute([ledger.sign(Payloads.anchor("S", issuer: LedgerFixture.sichuan), key: oldKey)])[0].rejection
                == .accountRevoked
        )
        #expect(
            ledger.execute([ledger.sign(Payloads.anchor("S", issuer: LedgerFixture.sichuan), key: newKey)])[0].isApplied
        )
    }

    @Test func expiredAndImpossibleProposalsAreRefused() {
        var ledger = LedgerFixture()
        let expired = TransactionPayload.governanceProposal(
            GovernanceProposal(action: .removeMember(LedgerFixture.auditor), expiresAtHeight: 1)
        )
        #expect(ledger.submit(expired, from: LedgerFixture.guangdong).rejection == .invalidGovernance)
        let unknown = TransactionPayload.governanceProposal(
            GovernanceProposal(action: .removeMember(OrgID("999999")!), expiresAtHeight: 99)
        )
        #expect(ledger.submit(unknown, from: LedgerFixture.guangdong).rejection == .invalidGovernance)
        let duplicate = TransactionPayload.governanceProposal(
            GovernanceProposal(
                action: .admitMember(
                    LedgerFixture.member(
                        LedgerFixture.charity,
                        [.charity],
                        key: LedgerFixture.key("x", suite: ledger.suite)
                    )
                ),
                expiresAtHeight: 99
            )
        )
        #expect(ledger.submit(duplicate, from: LedgerFixture.guangdong).rejection == .invalidGovernance)
        let stolenKey = TransactionPayload.governanceProposal(
            GovernanceProposal(
                action: .admitMember(
                    LedgerFixture.member(OrgID("320000")!, [.registrar], key: ledger.keys[LedgerFixture.charity]!)
                ),
                expiresAtHeight: 99
            )
        )
        let refused = ledger.submit(stolenKey, from: LedgerFixture.guangdong)
        #expect(refused.rejection == .invalidGovernance && refused.message.contains("already belongs"))
    }

    /// Issue 16, finding 9: genesis refuses a consensus key or TLS key pin that two members share; governance
    /// did not, so a member could admit a validator with another's consensus key or node pin. Each is refused
    /// with the member it belongs to, whether the newcomer copies a validator's key or pin.
    @Test func governanceRefusesAConsensusKeyOrTLSPinThatIsAnothersAsGenesisDoes() {
        var ledger = LedgerFixture()
        let sichuan = ledger.genesis.members.first { $0.id == LedgerFixture.sichuan }?.validator
        let fresh = LedgerFixture.member(Self.newcomer, [.validator], key: LedgerFixture.key("js", suite: ledger.suite))
        guard let sichuan, let own = fresh.validator else {
            Issue.record("the fixture has no validator Sichuan")
            return
        }
        func admitting(consensusKey: [UInt8], pin: Digest) -> TransactionPayload {
            let validator = ValidatorInfo(power: 10, consensusKey: consensusKey, tlsKeyPin: pin, address: own.address)
            let member = Member(
                id: Self.newcomer,
                name: "Jiangsu",
                roles: fresh.roles,
                accountKeys: fresh.accountKeys,
                validator: validator
            )
            return .governanceProposal(GovernanceProposal(action: .admitMember(member), expiresAtHeight: 99))
        }
        let sameKey = ledger.submit(
            admitting(consensusKey: sichuan.consensusKey, pin: own.tlsKeyPin),
            from: LedgerFixture.guangdong
        )
        #expect(sameKey.rejection == .invalidGovernance)
        #expect(sameKey.message.contains("consensus key") && sameKey.message.contains("510000"))
        let samePin = ledger.submit(
            admitting(consensusKey: own.consensusKey, pin: sichuan.tlsKeyPin),
            from: LedgerFixture.guangdong
        )
        #expect(samePin.rejection == .invalidGovernance)
        #expect(samePin.message.contains("TLS key pin") && samePin.message.contains("510000"))
        // With its own key and pin the same admission is proposed.
        #expect(
            ledger.submit(admitting(consensusKey: own.consensusKey, pin: own.tlsKeyPin), from: LedgerFixture.guangdong)
                .isApplied
        )
    }

    @Test func proposalsLapseAfterTheirExpiry() {
        var ledger = LedgerFixture()
        let remove = TransactionPayload.governanceProposal(
            GovernanceProposal(action: .removeMember(LedgerFixture.auditor), expiresAtHeight: 2)
        )
        ledger.submit(remove, from: LedgerFixture.guangdong)
        let id = ledger.sign(remove, key: ledger.keys[LedgerFixture.guangdong]!, sequence: 0).id(
            hash: ledger.suite.hashFunction
        )
        ledger.submit(Payloads.anchor("filler"), from: LedgerFixture.guangdong)
        let late = ledger.submit(.governanceApproval(GovernanceApproval(proposalID: id)), from: LedgerFixture.zhejiang)
        #expect(late.rejection == .proposalExpired)
    }
}
