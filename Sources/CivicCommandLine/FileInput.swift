import Foundation
import LedgerCrypto

/// Reads command-line input files, `-` meaning standard input, with errors that name the file.
public enum FileInput {
    public static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(message: "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(message: "\(path): is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(message: "\(path): cannot read (permission denied?)")
        }
        return Array(data)
    }

    /// The lines of a text file, each one hex-encoded value. Every line is one value, an empty line being
    /// the empty byte string; the newline that ends the last line does not start another value.
    public static func hexLines(_ path: String) throws -> [[UInt8]] {
        let text = String(decoding: try read(path), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        if text.hasSuffix("\n") { lines.removeLast() }
        return try lines.enumerated().map { number, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let bytes = Hex.decode(trimmed) else {
                throw InputError(message: "\(path):\(number + 1): not a hex string: \(trimmed.prefix(40))")
            }
            return bytes
        }
    }
}
