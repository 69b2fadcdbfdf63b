import Foundation
import LedgerCore

/// Checks a JSON value against the JSON Schema subset `docs/openapi.yaml` uses: `$ref` (to
/// `#/components/schemas/…`), `type` (one or a list), `required`, `properties`, `items`, `enum`, `pattern`,
/// `minimum`, `maximum`. Returns every violation with its path; an unknown keyword in the spec fails too, so the
/// spec cannot drift into what this checker ignores.
struct JSONSchemaChecker {
    /// The whole spec, as Yams loads it.
    let spec: [String: Any]

    static let understood: Set<String> = [
        "$ref", "type", "required", "properties", "items", "enum", "pattern", "minimum", "maximum", "description",
        "minLength", "maxLength", "minItems", "maxItems", "contentEncoding",
    ]

    func violations(of value: JSONValue, against schema: Any, at path: String = "$") -> [String] {
        guard let schema = schema as? [String: Any] else { return ["\(path): schema is not a mapping"] }
        if let reference = schema["$ref"] as? String {
            guard let resolved = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            return violations(of: value, against: resolved, at: path)
        }
        var found = schema.keys.filter { !Self.understood.contains($0) }.map { "\(path): unchecked keyword \($0)" }
        if let type = schema["type"] {
            let allowed = (type as? [Any])?.compactMap { $0 as? String } ?? [type as? String].compactMap { $0 }
            guard allowed.contains(where: { matches(value, $0) }) else {
                return found + ["\(path): \(value.kind) is not \(allowed.joined(separator: " or "))"]
            }
        }
        if let options = schema["enum"] as? [Any] {
            let names = options.map { "\($0)" }
            if case .string(let text) = value, !names.contains(text) {
                found.append("\(path): \(text) not in \(names)")
            }
        }
        if let pattern = schema["pattern"] as? String, case .string(let text) = value,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            found.append("\(path): \(text.prefix(40)) does not match \(pattern)")
        }
        if case .integer(let number) = value {
            if let minimum = schema["minimum"] as? Int, number < minimum { found.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Int, number > maximum { found.append("\(path): above \(maximum)") }
        }
        if case .object(let members) = value {
            let keys = Set(members.map(\.key))
            for name in (schema["required"] as? [Any] ?? []).compactMap({ $0 as? String }) where !keys.contains(name) {
                found.append("\(path): missing \(name)")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for member in members {
                if let property = properties[member.key] {
                    found += violations(of: member.value, against: property, at: "\(path).\(member.key)")
                } else if !properties.isEmpty, schema["required"] != nil, !isOpen(path) {
                    found.append("\(path): undocumented field \(member.key)")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                found += violations(of: item, against: itemSchema, at: "\(path)[\(index)]")
            }
        }
        return found
    }

    /// Receipt summaries and evidence carry kind-specific fields documented in docs/receipts.md.
    private func isOpen(_ path: String) -> Bool { path.hasSuffix(".summary") || path.hasSuffix(".evidence") }

    private func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("integer", .integer),
            ("boolean", .bool), ("null", .null):
            return true
        case ("number", .integer), ("number", .number): return true
        default: return false
        }
    }

    private func resolve(_ reference: String) -> Any? {
        var node: Any? = spec
        for part in reference.split(separator: "/").dropFirst() { node = (node as? [String: Any])?[String(part)] }
        return node
    }
}
