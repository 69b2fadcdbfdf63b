import Foundation
import LedgerCore
import Logging
import Node
import ServiceLifecycle

/// The test fault switch (docs/reliability.md, "Chaos run"): when `CIVIC_TEST_LINK_FAULTS` names a file, the
/// node reads it every 250 ms — member ids, one per line — and treats its links to those members as cut.
/// `Tools/chaos.sh` uses it on machines without network namespaces; nothing else sets it.
struct LinkFaultSwitch: Service {
    static let variable = "CIVIC_TEST_LINK_FAULTS"

    let path: String
    let node: LedgerNode
    let logger: Logger

    func run() async throws {
        logger.warning("test fault switch on: links to the members named in \(path) are cut")
        // try?: the only error is the graceful-shutdown cancellation, which is how this loop ends.
        try? await cancelWhenGracefulShutdown {
            var cut: Set<OrgID> = []
            while !Task.isCancelled {
                // try?: no switch file means no link is cut.
                let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                let named = Set(text.split(whereSeparator: \.isNewline).compactMap { OrgID(String($0)) })
                if named != cut {
                    node.network.cutLinks(to: named)
                    cut = named
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
