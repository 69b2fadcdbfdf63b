import COpenSSL

/// A 256-bit hash function: SHA-256 for `secp256k1-sha256`, SM3 for `sm2-sm3`.
///
/// Everything in the ledger that is hashed (Merkle logs, state trees, ids, headers) goes through the
/// network's suite's `HashFunction`, so one type parameter switches a whole network between suites.
public protocol HashFunction: Sendable {
    /// The algorithm's name as OpenSSL and the docs know it (`SHA-256`, `SM3`).
    var name: String { get }
    /// Hashes a contiguous byte buffer.
    func hash(_ bytes: UnsafeRawBufferPointer) -> Digest
}

extension HashFunction {
    /// Hashes a byte array.
    public func hash(_ bytes: [UInt8]) -> Digest {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Hashes the UTF-8 bytes of a string.
    public func hash(utf8 text: String) -> Digest {
        hash(Array(text.utf8))
    }

    /// Hashes `prefix ‖ bytes` without building the concatenation on the heap for small inputs.
    public func hash(prefix: UInt8, _ bytes: UnsafeRawBufferPointer) -> Digest {
        withUnsafeTemporaryAllocation(byteCount: bytes.count + 1, alignment: 1) { buffer in
            buffer[0] = prefix
            if let base = bytes.baseAddress, bytes.count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: buffer[1...]).copyMemory(
                    from: UnsafeRawBufferPointer(start: base, count: bytes.count)
                )
            }
            return hash(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Hashes `prefix ‖ left ‖ right`: the interior-node hash of Merkle trees (RFC 6962 uses prefix 0x01).
    public func hash(prefix: UInt8, _ left: Digest, _ right: Digest) -> Digest {
        withUnsafeTemporaryAllocation(byteCount: 1 + 2 * Digest.byteCount, alignment: 8) { buffer in
            buffer[0] = prefix
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
            return hash(UnsafeRawBufferPointer(buffer))
        }
    }
}

/// A fetched OpenSSL message digest, shared read-only by all threads (OpenSSL documents fetched
/// `EVP_MD` objects as safe to use concurrently).
final class FetchedMessageDigest: @unchecked Sendable {
    let pointer: OpaquePointer

    init(name: String) {
        guard let fetched = EVP_MD_fetch(nil, name, nil) else {
            // libcrypto 3 always provides SHA2-256 and SM3 in its default provider; without them nothing works.
            preconditionFailure("OpenSSL default provider lacks \(name)")
        }
        pointer = fetched
    }

    deinit { EVP_MD_free(pointer) }

    static let sha256 = FetchedMessageDigest(name: "SHA2-256")
    static let sm3 = FetchedMessageDigest(name: "SM3")
}

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface, which uses the CPU's SHA extensions where present.
public struct SHA256: HashFunction {
    public init() {}
    public var name: String { "SHA-256" }
    public func hash(_ bytes: UnsafeRawBufferPointer) -> Digest {
        evpDigest(FetchedMessageDigest.sha256, bytes)
    }
}

/// SM3 (GB/T 32905-2016) through OpenSSL's EVP interface.
public struct SM3: HashFunction {
    public init() {}
    public var name: String { "SM3" }
    public func hash(_ bytes: UnsafeRawBufferPointer) -> Digest {
        evpDigest(FetchedMessageDigest.sm3, bytes)
    }
}

private func evpDigest(_ digest: FetchedMessageDigest, _ bytes: UnsafeRawBufferPointer) -> Digest {
    withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { output in
        var length: UInt32 = 0
        let empty: UInt8 = 0
        let ok = withUnsafePointer(to: empty) { emptyPointer in
            EVP_Digest(
                bytes.baseAddress ?? UnsafeRawPointer(emptyPointer),
                bytes.count,
                output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                &length,
                digest.pointer,
                nil
            )
        }
        // EVP_Digest fails only on allocation failure or a broken provider: an internal invariant.
        precondition(ok == 1 && length == 32, "EVP_Digest failed")
        return Digest(copying: UnsafeRawBufferPointer(output))
    }
}
