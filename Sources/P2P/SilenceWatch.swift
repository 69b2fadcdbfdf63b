/// How long a peer has been silent, counting only time this node was awake to listen (`docs/network.md`,
/// "Keepalive and dead peers").
///
/// The watch is ticked every ping interval. A tick that comes more than two intervals after the last one means
/// this node itself was not running (a paused VM, a starved process, a blocked event loop): the peer's pings may
/// have been held up by the same stall, so such a gap counts as one interval of silence, not its full length.
/// A node that is stalled again and again still closes a silent peer, only later.
struct SilenceWatch {
    /// Ticks are this far apart, in nanoseconds.
    let interval: Int64
    /// Silence of this many nanoseconds closes the connection.
    let limit: Int64
    private var silent: Int64 = 0
    /// The moment from which the next tick counts: the last tick, or the last time the peer was heard.
    private var mark: Int64

    init(intervalMilliseconds: Int64, limitMilliseconds: Int64, now: Int64) {
        interval = max(1, intervalMilliseconds) * 1_000_000
        limit = max(1, limitMilliseconds) * 1_000_000
        mark = now
    }

    /// The peer sent something (at `now`, nanoseconds on a monotonic clock).
    mutating func heard(now: Int64) {
        silent = 0
        mark = max(mark, now)
    }

    /// Counts the silence since the last tick or message; true when the peer has been silent past the limit.
    mutating func tick(now: Int64) -> Bool {
        let elapsed = max(0, now - mark)
        mark = max(mark, now)
        silent += elapsed > 2 * interval ? interval : elapsed
        return silent >= limit
    }

    /// The silence counted so far, in milliseconds (for the log).
    var silentMilliseconds: Int64 { silent / 1_000_000 }
}
