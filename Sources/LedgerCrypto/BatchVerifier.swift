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
    /// Read once: `activeProcessorCount` reads cgroup files on every call on Linux, which cost a node under
    /// load more than 5 % of its time when every gossiped transaction asked (perf, `docs/benchmarks.md`).
    public static let processorCount = ProcessInfo.processInfo.activeProcessorCount

    /// Below this many checks one thread verifies them: handing work to other cores costs more than it saves.
    static let parallelThreshold = 8

    /// Returns one verdict per check, in order. Checks whose key belongs to another suite are false.
    public static func verify(
        _ checks: [SignatureCheck],
        suite: any CryptoSuite,
        cores: Int = processorCount
    ) -> [Bool] {
        guard checks.count >= parallelThreshold, cores > 1 else {
            return checks.map { suite.verify($0.signature, of: $0.message, by: $0.publicKey) }
        }
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
