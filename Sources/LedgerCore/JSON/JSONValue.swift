/// A JSON document with object keys in their written order, integers kept exact, and duplicate keys refused.
/// Used for human-facing files (genesis, receipts) and the API; never for anything hashed or signed.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// An unsigned height, index, count or time. Exact up to `Int64.max`, which every real one is; a larger
    /// one (only a forged or corrupt file carries it) becomes the nearest double, as most JSON readers would
    /// read it anyway, rather than trapping.
    public static func unsigned(_ value: some UnsignedInteger) -> JSONValue {
        if let exact = Int64(exactly: value) { return .integer(exact) }
        return .number(Double(value))
    }

    /// The value of `key` in an object, nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The same document with every object's members sorted by key: two documents that differ only in key
    /// order (as any JSON store or `json.tool --sort-keys` may make them) compare equal through it.
    public var ignoringKeyOrder: JSONValue {
        switch self {
        case .array(let values): return .array(values.map(\.ignoringKeyOrder))
        case .object(let members):
            return .object(
                members.map { JSONMember($0.key, $0.value.ignoringKeyOrder) }.sorted { $0.key < $1.key }
            )
        default: return self
        }
    }

    /// A short name of the kind of value, for error messages.
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// One key and value of a JSON object.
public struct JSONMember: Hashable, Sendable {
    public let key: String
    public let value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// Serialises with two-space indentation (`pretty`) or compactly, keys in their stored order.
    public func serialized(pretty: Bool = true) -> String {
        String(decoding: serializedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The same as UTF-8 bytes, written straight into one buffer: an API answer of 10,000 entries was spending
    /// most of a node's CPU on string appends (`docs/reliability.md`, "Junk transactions").
    public func serializedBytes(pretty: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out, depth: pretty ? 0 : nil)
        return out
    }

    private func write(into out: inout [UInt8], depth: Int?) {
        let inner = depth.map { $0 + 1 }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .number(let value): out.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
        case .string(let value): Self.quote(value, into: &out)
        case .array(let values):
            guard !values.isEmpty else { return out.append(contentsOf: "[]".utf8) }
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, inner)
                value.write(into: &out, depth: inner)
            }
            Self.newline(&out, depth)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return out.append(contentsOf: "{}".utf8) }
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, inner)
                Self.quote(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if depth != nil { out.append(UInt8(ascii: " ")) }
                member.value.write(into: &out, depth: inner)
            }
            Self.newline(&out, depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A line break and two spaces per level, when pretty (`depth` not nil).
    private static func newline(_ out: inout [UInt8], _ depth: Int?) {
        guard let depth else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// `text` as a JSON string: quote, backslash and control characters escaped, everything else as its UTF-8
    /// bytes (escapes concern ASCII only, and no byte of a multi-byte sequence is ASCII). Public for writers
    /// of answers too large to build as a tree first.
    public static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text (hex, codes, names) needs no escape: scanned in place and copied whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
                return false
            }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
