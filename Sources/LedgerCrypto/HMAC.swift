/// HMAC (RFC 2104) over a suite's hash: HMAC-SHA-256 or HMAC-SM3, both with 64-byte blocks. Used for subsidy
/// beneficiary tags (`docs/rules.md`, "Subsidies"), keyed with a consortium secret kept off the ledger.
public struct HMAC: Sendable {
    public static let blockSize = 64

    private let hash: any HashFunction
    private let inner: [UInt8]
    private let outer: [UInt8]

    public init(key: [UInt8], hash: any HashFunction) {
        self.hash = hash
        var block = key.count > Self.blockSize ? hash.hash(key).bytes : key
        block += [UInt8](repeating: 0, count: Self.blockSize - block.count)
        inner = block.map { $0 ^ 0x36 }
        outer = block.map { $0 ^ 0x5c }
    }

    public func authenticate(_ message: [UInt8]) -> Digest {
        hash.hash(outer + hash.hash(inner + message).bytes)
    }
}
