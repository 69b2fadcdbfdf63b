import Dispatch
import Foundation

/// One signature check: does `signature` sign `message` under `publicKey`?
public struct SignatureCheck: Sendable {
    public let message: [UInt8]
    public let signature: Signature
    public let publicKey: PublicKey

    public init(message: [UInt8], signature: Signature, publicKey: PublicKey) {
        self.message = message
        self.signature = signature
        self.publicKey = publicKey
    }
}

/// Verifies many signatures at once, spread over every core. Neither suite has a true batch algorithm
/// (ECDSA and SM2 signatures do not aggregate), so this is parallel single verification; the gain is
/// linear in cores (`docs/benchmarks.md`).
public enum BatchVerifier {
    /// Returns one verdict per check, in order. Checks whose key belongs to another suite are false.
    public static func verify(
        _ checks: [SignatureCheck],
        suite: any CryptoSuite,
        cores: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> [Bool] {
        guard !checks.isEmpty else { return [] }
        let chunkCount = min(checks.count, max(1, cores) * 4)
        let chunkSize = (checks.count + chunkCount - 1) / chunkCount
        var verdicts = [Bool](repeating: false, count: checks.count)
        verdicts.withUnsafeMutableBufferPointer { output in
            // Each chunk writes only its own indices, so the shared buffer is never written twice.
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let start = chunk * chunkSize
                let end = min(start + chunkSize, checks.count)
                guard start < end else { return }
                for index in start..<end {
                    let check = checks[index]
                    output[index] = suite.verify(check.signature, of: check.message, by: check.publicKey)
                }
            }
        }
        return verdicts
    }
}
