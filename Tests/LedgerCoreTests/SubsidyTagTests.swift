import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// Issue 16, finding 5 and point 3: an identity number becomes one tag however it is typed, a wrong one is
/// refused before it becomes a tag, and one person's tags in two programmes or periods are unrelated.
struct SubsidyTagTests {
    static let canonical = "11010519491231002X"

    @Test(arguments: [
        "11010519491231002X", "11010519491231002x", " 110105 19491231 002x ",
        "１１０１０５１９４９１２３１００２Ｘ", "１１０１０５１９４９１２３１００２ｘ",
        "110105491231002",  // first generation: 15 digits, century 19, no check character
    ])
    func everySpellingOfOneNumberIsTheSameNumber(typed: String) throws {
        #expect(try IdentityNumber(typed).value == Self.canonical)
    }

    @Test func wrongNumbersAreRefusedWithTheReason() {
        let cases: [(String, IdentityNumber.Problem)] = [
            ("110105194912310021", .checkCharacter(expected: "X", found: "1")),
            ("11010519491231002Y", .notDigits),
            ("1101051949123100", .length(16)),
            ("11010519491331002X", .birthDate("19491331")),
            ("11010519490229002X", .birthDate("19490229")),  // 1949 was no leap year
            ("11010518991231002X", .birthDate("18991231")),
            ("11010A19491231002X", .notDigits),
            ("", .length(0)),
        ]
        for (typed, problem) in cases {
            #expect(throws: problem, "\(typed)") { try IdentityNumber(typed) }
        }
        #expect(throws: Never.self) { try IdentityNumber("110105200002290021") }  // 2000 was a leap year
    }

    @Test func tagsAreOnePerPersonProgrammeAndPeriod() throws {
        let key = Array("a programme's tag key, 32 bytes!".utf8)
        let hash = SHA256()
        let pension = Payloads.pension
        let dibao = ProgrammeRef(owner: LedgerFixture.guangdong, name: try #require(ProgrammeID("dibao")))
        let november = try #require(SubsidyPeriod("2026-11"))
        let december = try #require(SubsidyPeriod("2026-12"))
        func tag(
            _ typed: String,
            _ programme: ProgrammeRef,
            _ period: SubsidyPeriod,
            key: [UInt8] = key
        ) throws
            -> Digest
        {
            SubsidyTag.derive(
                identity: try IdentityNumber(typed),
                programme: programme,
                period: period,
                key: key,
                hash: hash
            )
        }
        let reference = try tag(Self.canonical, pension, november)
        #expect(try tag("11010519491231002x", pension, november) == reference)
        #expect(try tag("110105491231002", pension, november) == reference)
        #expect(try tag(Self.canonical, dibao, november) != reference)
        #expect(try tag(Self.canonical, pension, december) != reference)
        #expect(try tag(Self.canonical, pension, november, key: Array(key.reversed())) != reference)
        #expect(try tag("110105200002290021", pension, november) != reference)
    }
}
