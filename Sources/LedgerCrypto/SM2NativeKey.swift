import COpenSSL

/// An OpenSSL `EVP_PKEY` holding an SM2 key (key pair or public key only). Immutable once built;
/// OpenSSL allows one `EVP_PKEY` to be used by many signing or verifying contexts at once.
final class SM2NativeKey: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The SM2 group order n (GB/T 32918.5).
    static let order: [UInt8] = Hex.decode("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123")!

    /// Builds a key pair from a scalar d with 1 ≤ d ≤ n − 2 (SM2 excludes n − 1); returns the key and
    /// the 65-byte public point.
    static func keyPair(scalar: [UInt8]) throws(CryptoError) -> (SM2NativeKey, [UInt8]) {
        guard scalar.count == 32, scalar.contains(where: { $0 != 0 }),
            scalar.lexicographicallyPrecedes(orderMinusOne)
        else {
            throw CryptoError(.invalidPrivateKey, "an SM2 private key is a 32-byte scalar in [1, n-2]")
        }
        let point = try publicPoint(of: scalar)
        let key = try build(scalar: scalar, point: point)
        return (key, point)
    }

    /// Builds a public-only key from a 65-byte uncompressed point, checking that it lies on the curve.
    static func publicKey(point: [UInt8]) throws(CryptoError) -> SM2NativeKey {
        guard point.count == 65, point[0] == 0x04 else {
            throw CryptoError(.invalidPublicKey, "an SM2 public key is 65 bytes: 04 ‖ x ‖ y, got \(point.count)")
        }
        try checkOnCurve(point)
        return try build(scalar: nil, point: point)
    }

    /// Builds a public-only key from a point already validated (a `PublicKey` of this suite).
    static func publicKey(validatedPoint point: [UInt8]) throws(CryptoError) -> SM2NativeKey {
        try build(scalar: nil, point: point)
    }

    private static let orderMinusOne: [UInt8] = {
        var value = order
        value[31] -= 1  // n ends in 0x23: no borrow
        return value
    }()

    private static func withGroup<R>(_ body: (OpaquePointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
        guard let group = EC_GROUP_new_by_curve_name(NID_sm2) else {
            throw CryptoError(.nativeFailure, "OpenSSL has no SM2 curve")
        }
        defer { EC_GROUP_free(group) }
        return try body(group)
    }

    private static func publicPoint(of scalar: [UInt8]) throws(CryptoError) -> [UInt8] {
        try withGroup { (group) throws(CryptoError) -> [UInt8] in
            guard let d = BN_bin2bn(scalar, 32, nil), let point = EC_POINT_new(group) else {
                throw CryptoError(.nativeFailure, "OpenSSL allocation failed")
            }
            defer {
                BN_clear_free(d)
                EC_POINT_free(point)
            }
            guard EC_POINT_mul(group, point, d, nil, nil, nil) == 1 else {
                throw CryptoError(.nativeFailure, "SM2 public key derivation failed")
            }
            var output = [UInt8](repeating: 0, count: 65)
            let written = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &output, 65, nil)
            guard written == 65 else { throw CryptoError(.nativeFailure, "SM2 point encoding failed") }
            return output
        }
    }

    private static func checkOnCurve(_ encoded: [UInt8]) throws(CryptoError) {
        try withGroup { (group) throws(CryptoError) in
            guard let point = EC_POINT_new(group) else {
                throw CryptoError(.nativeFailure, "OpenSSL allocation failed")
            }
            defer { EC_POINT_free(point) }
            // oct2point rejects coordinates ≥ p and points not on the curve.
            guard EC_POINT_oct2point(group, point, encoded, encoded.count, nil) == 1,
                EC_POINT_is_at_infinity(group, point) == 0
            else {
                throw CryptoError(.invalidPublicKey, "not a point on the SM2 curve")
            }
        }
    }

    private static func build(scalar: [UInt8]?, point: [UInt8]) throws(CryptoError) -> SM2NativeKey {
        let built: OpaquePointer? =
            if let scalar {
                civic_sm2_key_from_raw(point, scalar)
            } else {
                civic_sm2_key_from_raw(point, nil)
            }
        guard let built else {
            throw CryptoError(scalar == nil ? .invalidPublicKey : .invalidPrivateKey, "OpenSSL refused the SM2 key")
        }
        return SM2NativeKey(pointer: built)
    }
}
