import Foundation

/// A fresh path under the system's temporary directory, removed with everything in it when released.
public final class TemporaryDirectory {
    public let path: String

    public init(_ label: String = "civic") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
