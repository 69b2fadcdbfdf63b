import COpenSSL

/// An optional consortium certificate authority layered on top of key pinning (`docs/network.md`, "Trust"):
/// when a node is configured with a CA bundle, a peer's certificate must also chain to one of its CAs and be
/// within its validity period. The pin stays the membership decision; the CA adds an issuance policy.
public struct ConsortiumCA: Sendable {
    public let bundlePEM: String

    /// A PEM bundle of one or more CA certificates; refused when none parses.
    public init(bundlePEM: String) throws(CryptoError) {
        let bytes = Array(bundlePEM.utf8)
        guard civic_count_pem_certificates(bytes, bytes.count) > 0 else {
            throw CryptoError(.invalidPublicKey, "the consortium CA bundle holds no PEM certificate OpenSSL can read")
        }
        self.bundlePEM = bundlePEM
    }

    /// True when `leaf` (DER) chains through `intermediates` (DER) to a CA of the bundle.
    public func issued(leaf: [UInt8], intermediates: [[UInt8]] = []) -> Bool {
        Self.check(leaf: leaf, intermediates: intermediates, bundle: Array(bundlePEM.utf8)) == 1
    }

    private static func check(leaf: [UInt8], intermediates: [[UInt8]], bundle: [UInt8]) -> Int32 {
        let lengths = intermediates.map(\.count)
        let copies = intermediates.map { bytes -> UnsafeMutablePointer<UInt8> in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        defer { copies.forEach { $0.deallocate() } }
        let pointers: [UnsafePointer<UInt8>?] = copies.map { UnsafePointer($0) }
        return civic_verify_chain(leaf, leaf.count, pointers, lengths, intermediates.count, bundle, bundle.count)
    }
}
