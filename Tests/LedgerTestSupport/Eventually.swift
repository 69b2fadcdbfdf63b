/// How tests wait: until what they wait for has happened, for as long as the system keeps making progress —
/// not for a wall-clock budget that a slow or loaded machine exceeds (a loaded CI run once took 82 minutes
/// where 17 are usual, and every fixed budget of 30–120 s became a failure that was no bug).
///
/// A wait fails only after `stall` of *quiet*: time during which `progress` has not changed. Progress measures
/// the awaited work itself and stops at its goal — how many of the awaited transactions have committed, a
/// height capped at the target — so that a system busy with something else (empty blocks) cannot keep a
/// failing wait alive. A sleep between polls that wakes more than twice as late as asked means the test
/// process itself was starved, not the system under test: it counts as twice the interval asked, as the node's
/// own `SilenceWatch` counts a peer's silence. A wait with nothing to count (a connection, a closed socket, a
/// log line) has the stall bound alone, far above what any such event takes on a slow machine; a wait that
/// fails on a stuck system still ends.
public enum Eventually {
    /// The default quiet that ends a wait: long enough for a loaded machine, short enough that a stuck run
    /// still reports within CI's time.
    public static let defaultStall: Duration = .seconds(120)
    static let firstInterval: Duration = .milliseconds(10)
    static let longestInterval: Duration = .milliseconds(200)

    /// The quiet counted since progress last changed.
    struct Quiet {
        let stall: Duration
        private(set) var counted: Duration = .zero

        init(stall: Duration) { self.stall = stall }

        mutating func progressed() { counted = .zero }

        /// Counts a poll's quiet: `working`, the time spent asking for the condition and the progress, and a
        /// sleep of `interval` that took `slept` (at most twice the interval counts). True when the quiet has
        /// reached the stall bound.
        mutating func add(working: Duration, slept: Duration, interval: Duration) -> Bool {
            counted += working + min(slept, interval * 2)
            return counted >= stall
        }
    }
}

/// Waits until `condition` holds; false when `progress` has not changed for `stall` (see `Eventually`).
public func eventually<Progress: Equatable>(
    stall: Duration = Eventually.defaultStall,
    progress: () async -> Progress,
    _ condition: () async -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    var quiet = Eventually.Quiet(stall: stall)
    var interval = Eventually.firstInterval
    var last = await progress()
    while true {
        let started = clock.now
        if await condition() { return true }
        let asleep = clock.now
        do {
            try await Task.sleep(for: interval)
        } catch {
            return await condition()  // cancelled: one last look
        }
        let awake = clock.now
        let current = await progress()
        if current != last {
            last = current
            quiet.progressed()
        } else if quiet.add(
            working: (asleep - started) + (clock.now - awake),
            slept: awake - asleep,
            interval: interval
        ) {
            return await condition()
        }
        interval = min(interval * 2, Eventually.longestInterval)
    }
}

/// Waits until `condition` holds; false after `stall` of waiting with nothing else to count (see `Eventually`).
public func eventually(stall: Duration = Eventually.defaultStall, _ condition: () async -> Bool) async -> Bool {
    await eventually(stall: stall, progress: { 0 }, condition)
}
