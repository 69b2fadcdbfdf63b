import Testing

@testable import LedgerTestSupport

/// The tests' wait (`eventually`): it ends when its condition holds, lasts while progress moves, and fails
/// after a stall of quiet in which the waiter's own late wake-ups count for little.
struct EventuallyTests {
    @Test func aConditionThatHoldsEndsTheWait() async {
        var polls = 0
        let held = await eventually(stall: .seconds(60)) {
            polls += 1
            return polls == 3
        }
        #expect(held)
        #expect(polls == 3)
    }

    @Test func aWaitWithoutProgressFailsAfterTheStall() async {
        let clock = ContinuousClock()
        let start = clock.now
        #expect(!(await eventually(stall: .milliseconds(300)) { false }))
        #expect(clock.now - start >= .milliseconds(300))
    }

    /// Progress moving for longer than the stall keeps the wait going; once it stops, the stall ends it.
    @Test func progressExtendsTheWaitUntilItStops() async {
        let clock = ContinuousClock()
        let start = clock.now
        let moving = Duration.milliseconds(900)
        var polls = 0
        let held = await eventually(
            stall: .milliseconds(300),
            progress: { () -> Int in
                polls += 1
                return clock.now - start < moving ? polls : -1
            },
            { false }
        )
        #expect(!held)
        #expect(clock.now - start >= moving + .milliseconds(300))
    }

    @Test func aLateWakeUpCountsAsTwiceTheIntervalAndProgressResets() {
        var quiet = Eventually.Quiet(stall: .seconds(1))
        // A sleep of 10 ms that took 30 s: the process was starved; it counts as 20 ms.
        var ended = quiet.add(working: .milliseconds(5), slept: .seconds(30), interval: .milliseconds(10))
        #expect(!ended)
        #expect(quiet.counted == .milliseconds(25))
        ended = quiet.add(working: .zero, slept: .milliseconds(15), interval: .milliseconds(10))
        #expect(!ended)
        #expect(quiet.counted == .milliseconds(40))
        quiet.progressed()
        #expect(quiet.counted == .zero)
        // Time spent asking counts in full.
        ended = quiet.add(working: .seconds(1), slept: .zero, interval: .milliseconds(10))
        #expect(ended)
    }
}
