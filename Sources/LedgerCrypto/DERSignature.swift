/// Conversion between a 64-byte `r ‖ s` signature and the DER `ECDSA-Sig-Value` (SEQUENCE of two INTEGERs)
/// that OpenSSL speaks. Decoding is strict DER: minimal lengths and integers, no trailing bytes.
enum DERSignature {
    /// Encodes `r ‖ s` as DER.
    static func encode(compact: [UInt8]) -> [UInt8] {
        precondition(compact.count == 64, "compact signature is 64 bytes")
        let r = integer(compact[0..<32])
        let s = integer(compact[32..<64])
        return [0x30, UInt8(r.count + s.count)] + r + s
    }

    /// Decodes strict DER into `r ‖ s`; nil when the encoding is not canonical or an integer exceeds 32 bytes.
    static func decode(_ der: [UInt8]) -> [UInt8]? {
        guard der.count >= 8, der[0] == 0x30, der[1] < 0x80, Int(der[1]) == der.count - 2 else { return nil }
        var offset = 2
        guard let r = readInteger(der, &offset), let s = readInteger(der, &offset), offset == der.count else {
            return nil
        }
        return r + s
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var body = Array(bytes.drop { $0 == 0 })
        if body.isEmpty || body[0] & 0x80 != 0 { body.insert(0, at: 0) }
        return [0x02, UInt8(body.count)] + body
    }

    private static func readInteger(_ der: [UInt8], _ offset: inout Int) -> [UInt8]? {
        guard offset + 2 <= der.count, der[offset] == 0x02 else { return nil }
        let length = Int(der[offset + 1])
        let start = offset + 2
        guard length >= 1, length < 0x80, start + length <= der.count else { return nil }
        let body = der[start..<start + length]
        // Negative numbers and non-minimal encodings are not DER.
        if body[start] & 0x80 != 0 { return nil }
        if length > 1 && body[start] == 0 && body[start + 1] & 0x80 == 0 { return nil }
        let magnitude = body.drop { $0 == 0 }
        guard magnitude.count <= 32 else { return nil }
        offset = start + length
        return [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude
    }
}
