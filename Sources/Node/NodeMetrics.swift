import NIOConcurrencyHelpers

/// The node's Prometheus metrics (`GET /metrics`, text exposition format 0.0.4): gauges read when scraped,
/// counters and the commit-latency histogram updated as things happen.
public final class NodeMetrics: Sendable {
    /// Upper bounds (seconds) of the commit-latency histogram buckets.
    public static let latencyBuckets: [Double] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30]

    private struct Counters {
        var committedTransactions: UInt64 = 0
        var committedBlocks: UInt64 = 0
        var rejected: [String: UInt64] = [:]
        var latencyCounts = [UInt64](repeating: 0, count: NodeMetrics.latencyBuckets.count)
        var latencySum = 0.0
        var latencyCount: UInt64 = 0
    }

    private let counters = NIOLockedValueBox(Counters())

    public init() {}

    /// A block committed with `transactions` after `seconds` spent on its height.
    public func committed(transactions: Int, seconds: Double) {
        counters.withLockedValue { counters in
            counters.committedBlocks += 1
            counters.committedTransactions += UInt64(transactions)
            counters.latencySum += seconds
            counters.latencyCount += 1
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound {
                counters.latencyCounts[index] += 1
            }
        }
    }

    /// A transaction refused (at admission or on re-check), by reason code.
    public func rejected(_ code: String, count: Int = 1) {
        counters.withLockedValue { $0.rejected[code, default: 0] += UInt64(count) }
    }

    /// The exposition text, with the gauges' current values.
    public func render(
        height: UInt64,
        round: UInt32,
        peers: Int,
        mempoolTransactions: Int,
        mempoolBytes: Int,
        syncLag: UInt64,
        signaturesMadeElsewhere: UInt64
    ) -> String {
        let counters = counters.withLockedValue { $0 }
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(value)") }
        }
        metric("civic_height", "gauge", "Height being decided.", [("", "\(height)")])
        metric("civic_round", "gauge", "Consensus round at this height.", [("", "\(round)")])
        metric("civic_peers", "gauge", "Connected peers.", [("", "\(peers)")])
        metric("civic_mempool_transactions", "gauge", "Transactions waiting.", [("", "\(mempoolTransactions)")])
        metric("civic_mempool_bytes", "gauge", "Bytes of transactions waiting.", [("", "\(mempoolBytes)")])
        metric("civic_sync_lag_blocks", "gauge", "Blocks the best peer is ahead.", [("", "\(syncLag)")])
        metric(
            "civic_committed_transactions_total",
            "counter",
            "Transactions in committed blocks.",
            [("", "\(counters.committedTransactions)")]
        )
        metric("civic_committed_blocks_total", "counter", "Committed blocks.", [("", "\(counters.committedBlocks)")])
        metric(
            "civic_signatures_made_elsewhere_total",
            "counter",
            "Signatures by this validator's key that its signing guard did not make (another copy of it ran).",
            [("", "\(signaturesMadeElsewhere)")]
        )
        metric(
            "civic_rejected_transactions_total",
            "counter",
            "Transactions refused, by reason.",
            counters.rejected.sorted { $0.key < $1.key }.map { ("{reason=\"\($0.key)\"}", "\($0.value)") }
        )
        var buckets = zip(Self.latencyBuckets, counters.latencyCounts).map { bound, count in
            ("_bucket{le=\"\(bound)\"}", "\(count)")
        }
        buckets.append(("_bucket{le=\"+Inf\"}", "\(counters.latencyCount)"))
        lines.append("# HELP civic_commit_latency_seconds Time from a height's start to its commit.")
        lines.append("# TYPE civic_commit_latency_seconds histogram")
        for (suffix, value) in buckets { lines.append("civic_commit_latency_seconds\(suffix) \(value)") }
        lines.append("civic_commit_latency_seconds_sum \(counters.latencySum)")
        lines.append("civic_commit_latency_seconds_count \(counters.latencyCount)")
        return lines.joined(separator: "\n") + "\n"
    }
}
