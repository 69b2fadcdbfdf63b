import LedgerCore
import LedgerTestSupport
import Testing

struct JSONParserTests {
    @Test func parsesAndKeepsKeyOrderAndExactIntegers() throws {
        let value = try JSONParser.parse(
            Array(#" {"b": 1, "a": [true, null, -9223372036854775808, 1.5e2, "\u00e9\ud83d\ude00\n"]} "#.utf8)
        )
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a"])
        #expect(value["b"] == .integer(1))
        #expect(value["a"] == .array([.bool(true), .null, .integer(Int64.min), .number(150), .string("é😀\n")]))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "tru",
        "{\"a\":1,\"a\":2}",
        "\"\\ud800\"", "[1] 2", "1e999", "nul", "{1:2}",
    ])
    func refusesMalformedDocuments(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func refusesDeepNestingAndInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(String(repeating: "[", count: 65).utf8)) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xff, 0x22]) }
        #expect(
            (try? JSONParser.parse(Array((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8)))
                != nil
        )
    }

    @Test func serialisesBackToEquivalentJSON() throws {
        let value = JSONValue.object([
            JSONMember("s", .string("quote \" backslash \\ tab \t ctl \u{01}")), JSONMember("n", .integer(-5)),
            JSONMember("e", .array([])), JSONMember("o", .object([])),
        ])
        #expect(try JSONParser.parse(Array(value.serialized(pretty: true).utf8)) == value)
        #expect(try JSONParser.parse(Array(value.serialized(pretty: false).utf8)) == value)
    }

    /// Unsigned heights and indexes: exact while they fit an `Int64`; beyond it (forged files only) a double
    /// that reads back as itself, never a trap.
    @Test func unsignedValuesAreExactUpToInt64AndNeverTrap() throws {
        #expect(JSONValue.unsigned(UInt64(Int64.max)) == .integer(Int64.max))
        #expect(JSONValue.unsigned(UInt32.max) == .integer(Int64(UInt32.max)))
        let huge = JSONValue.unsigned(UInt64.max)
        #expect(huge == .number(Double(UInt64.max)))
        #expect(try JSONParser.parse(Array(huge.serialized().utf8)) == huge)
    }

    @Test func errorsSayWhere() {
        do {
            _ = try JSONParser.parse(Array("{\n  \"a\": tru\n}".utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test func randomBytesNeverTrap() {
        var random = SeededGenerator(seed: 99)
        let alphabet = Array("{}[]\",:-0123456789.eE truefalsnl\\u".utf8)
        for _ in 0..<100_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)!
            }
            _ = try? JSONParser.parse(bytes)
        }
    }
}
