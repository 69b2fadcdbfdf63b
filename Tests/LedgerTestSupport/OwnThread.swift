import Foundation

/// Runs blocking work — waiting for a child process, sleeping before a kill — on a thread of its own and awaits
/// its result. Swift Testing runs every test on the cooperative pool (one thread per core); a test that blocks
/// one of those threads stalls every other test's tasks (the flood test once timed one round trip in 2 s
/// beside such tests).
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
