/// Why a configuration file could not be read: the line and, where known, the field.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int?
    public let field: String?
    public let message: String

    public init(line: Int?, field: String?, _ message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        let place = [line.map { "line \($0)" }, field].compactMap { $0 }.joined(separator: ", ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

/// The part of TOML a node's `config.toml` uses (`docs/node.md`, "Configuration"): `# comments`, `[table]`
/// and `[table.sub]` headers, and `key = value` with values a basic string, an integer, `true`/`false`, or
/// an array of strings on one line. Anything else is an error naming the line — never a guess.
public enum TOMLSubset {
    public enum Value: Equatable, Sendable {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case strings([String])
    }

    /// The document as `table.key → (value, line)`; keys of the top table have no prefix.
    public static func parse(_ text: String) throws(ConfigurationError) -> [String: (value: Value, line: Int)] {
        var table = ""
        var values: [String: (value: Value, line: Int)] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = stripComment(String(raw)).trimmingSpaces
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[["), line.count > 2 else {
                    throw ConfigurationError(line: number, field: nil, "a table header is [name]")
                }
                let name = String(line.dropFirst().dropLast()).trimmingSpaces
                guard isKey(name, dotted: true) else {
                    throw ConfigurationError(line: number, field: nil, "\"\(name)\" is not a table name")
                }
                table = name
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(line: number, field: nil, "expected key = value")
            }
            let key = String(line[..<equals]).trimmingSpaces
            guard isKey(key, dotted: false) else {
                throw ConfigurationError(line: number, field: nil, "\"\(key)\" is not a key (letters, digits, _ and -)")
            }
            let field = table.isEmpty ? key : table + "." + key
            guard values[field] == nil else {
                throw ConfigurationError(line: number, field: field, "set twice")
            }
            let value = try parseValue(String(line[line.index(after: equals)...]).trimmingSpaces, line: number, field)
            values[field] = (value, number)
        }
        return values
    }

    private static func parseValue(_ text: String, line: Int, _ field: String) throws(ConfigurationError) -> Value {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text.hasPrefix("\"") { return .string(try parseString(text, line: line, field)) }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else {
                throw ConfigurationError(line: line, field: field, "an array must close on the same line")
            }
            let inner = String(text.dropFirst().dropLast()).trimmingSpaces
            if inner.isEmpty { return .strings([]) }
            var items: [String] = []
            for item in splitArray(inner) {
                let trimmed = item.trimmingSpaces
                if trimmed.isEmpty { continue }  // a trailing comma
                items.append(try parseString(trimmed, line: line, field))
            }
            return .strings(items)
        }
        let digits = text.filter { $0 != "_" }
        if let integer = Int64(digits) { return .integer(integer) }
        throw ConfigurationError(line: line, field: field, "expected a \"string\", a number, true, false or [\"…\"]")
    }

    /// `text` as a string this parser reads back to the same text. Strings are read and written by Unicode
    /// scalar, not by character: a combining mark after an escape's letter or a quote would otherwise join it
    /// into one character (found by the config fuzz target).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func parseString(_ text: String, line: Int, _ field: String) throws(ConfigurationError) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else {
            throw ConfigurationError(line: line, field: field, "a string is written \"like this\"")
        }
        var result = String.UnicodeScalarView()
        var escaped = false
        for scalar in scalars.dropFirst().dropLast() {
            if escaped {
                switch scalar {
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: throw ConfigurationError(line: line, field: field, "unsupported escape \\\(scalar)")
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                throw ConfigurationError(line: line, field: field, "a quote inside a string must be escaped")
            } else if scalar != "\t", scalar.properties.generalCategory == .control {
                throw ConfigurationError(
                    line: line,
                    field: field,
                    "a control character inside a string must be escaped"
                )
            } else {
                result.append(scalar)
            }
        }
        guard !escaped else { throw ConfigurationError(line: line, field: field, "a string ends in a backslash") }
        return String(result)
    }

    /// Splits an array's inside at commas outside strings.
    private static func splitArray(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                current.append(character)
            } else if character == "\"" {
                inString = true
                current.append(character)
            } else if character == "," {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current)
        return items
    }

    /// Drops a `#` comment that is not inside a string.
    private static func stripComment(_ line: String) -> String {
        var inString = false
        var escaped = false
        var result = ""
        for character in line {
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
            } else if character == "#" {
                break
            }
            result.append(character)
        }
        return result
    }

    private static func isKey(_ text: String, dotted: Bool) -> Bool {
        let parts = dotted ? text.split(separator: ".", omittingEmptySubsequences: false).map(String.init) : [text]
        return parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return String(text)
    }
}
