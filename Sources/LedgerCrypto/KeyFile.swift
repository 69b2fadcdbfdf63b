import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Private key files: a small JSON document, created with mode 0600 and never overwritten, and refused on
/// reading when anyone but the owner may read it (as OpenSSH does). Format (`docs/crypto.md`):
///
///     {"format": "civicledger-key/1", "suite": "sm2-sm3", "public_key": "04…", "private_key": "…"}
public enum KeyFile {
    /// The format tag written into and required from every key file.
    public static let format = "civicledger-key/1"
    private static let maximumSize = 64 * 1024

    /// Writes `key` to a new file at `path` with mode 0600. Refuses to replace an existing file.
    public static func write(_ key: PrivateKey, to path: String) throws(CryptoError) {
        let document: [String: String] = [
            "format": format,
            "suite": key.suite.rawValue,
            "public_key": key.publicKey.hex,
            "private_key": key.scalarHex,
        ]
        // try?: converted to this module's typed error.
        guard let json = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
        else { throw CryptoError(.nativeFailure, "could not encode the key file") }
        try writeSecret(Array(json) + [UInt8(ascii: "\n")], to: path)
    }

    /// Writes secret bytes (a key file, a TLS private key) to a new file at `path` with mode 0600, synced.
    /// Refuses to replace an existing file.
    public static func writeSecret(_ bytes: [UInt8], to path: String) throws(CryptoError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code: CryptoError.Code = errno == EEXIST ? .keyFileExists : .keyFileUnreadable
            throw CryptoError(code, "cannot create key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // The umask can only clear bits; set the mode explicitly in case the file system ignored it.
        _ = fchmod(descriptor, 0o600)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else {
                throw CryptoError(
                    .keyFileUnreadable,
                    "cannot write key file \(path): \(String(cString: strerror(errno)))"
                )
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            throw CryptoError(.keyFileUnreadable, "cannot sync key file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads a key file, refusing it when group or others may read or write it, or when its public key
    /// does not match its private key.
    public static func read(from path: String) throws(CryptoError) -> PrivateKey {
        try parse(try readSecret(from: path), source: path)
    }

    /// Reads a secret file (at most 64 KiB), refusing it when group or others may read or write it.
    public static func readSecret(from path: String) throws(CryptoError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CryptoError(.keyFileUnreadable, "cannot open key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw CryptoError(.keyFileUnreadable, "cannot stat key file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw CryptoError(.keyFileUnreadable, "key file \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw CryptoError(
                .keyFileInsecure,
                "key file \(path) has mode \(String(mode, radix: 8)): others may read it; run: chmod 600 \(path)"
            )
        }
        guard info.st_size <= maximumSize else {
            throw CryptoError(.keyFileMalformed, "key file \(path) is larger than \(maximumSize) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var total = 0
        while total < bytes.count {
            let count = bytes[total...].withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            total += count
        }
        return Array(bytes.prefix(total))
    }

    /// Parses the JSON content of a key file; `source` names it in error messages.
    public static func parse(_ content: [UInt8], source: String) throws(CryptoError) -> PrivateKey {
        // try?: converted to this module's typed error, naming the file.
        guard let object = try? JSONSerialization.jsonObject(with: Data(content)),
            let document = object as? [String: Any]
        else { throw CryptoError(.keyFileMalformed, "key file \(source) is not a JSON object") }
        func field(_ name: String) throws(CryptoError) -> String {
            guard let value = document[name] as? String else {
                throw CryptoError(.keyFileMalformed, "key file \(source): missing string field \"\(name)\"")
            }
            return value
        }
        guard try field("format") == format else {
            throw CryptoError(.keyFileMalformed, "key file \(source): format is not \"\(format)\"")
        }
        let suiteID = try CryptoSuiteID(named: try field("suite"))
        guard let scalar = Hex.decode(try field("private_key")) else {
            throw CryptoError(.keyFileMalformed, "key file \(source): private_key is not hex")
        }
        let key: PrivateKey
        do {
            key = try suiteID.suite.privateKey(scalar: scalar)
        } catch {
            throw CryptoError(.keyFileMalformed, "key file \(source): \(error.reason)")
        }
        guard key.publicKey.hex == (try field("public_key")).lowercased() else {
            throw CryptoError(.keyFileMalformed, "key file \(source): public_key does not match private_key")
        }
        return key
    }
}
