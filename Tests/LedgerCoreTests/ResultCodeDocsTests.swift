import Foundation
import LedgerCore
import Testing

/// `docs/rules.md`, "Result codes", is the closed list a second implementation decodes: it must name exactly
/// the codes the ledger writes, each with whether the refusal uses up the sender's sequence number.
struct ResultCodeDocsTests {
    @Test func theDocumentedResultCodesAreExactlyTheLedgers() throws {
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/rules.md")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Result codes").dropFirst().first)
            .components(separatedBy: "\n## ")[0]
        var documented: [String: Bool] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let code = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            #expect(documented[code] == nil, "\(code) is listed twice")
            documented[code] = cells.last == "used"
        }
        let ledger = Dictionary(
            uniqueKeysWithValues: RejectionReason.allCases.map { ($0.rawValue, $0.consumesSequence) }
        )
        #expect(documented == ledger)
        // The list is closed: a code not on it does not decode.
        var writer = CanonicalWriter()
        writer.write("not_a_code")
        writer.write("")
        #expect(throws: CanonicalDecodingError.self) { try TransactionResult(canonicalBytes: writer.bytes) }
    }
}
