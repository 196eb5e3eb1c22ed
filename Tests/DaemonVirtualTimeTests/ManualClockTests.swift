import SLADaemon
import SLAEngine
import Testing

/// The clock the in-process tests share: sleepers wake in order when time is moved, never before.
@Suite struct ManualClockTests {
    @Test func sleepersWakeWhenTheirTimeComesEarliestFirst() async throws {
        let clock = ManualClock(start: 1_000)
        let order = try await withThrowingTaskGroup(of: Double.self) { group in
            for seconds in [30.0, 10, 20] {
                group.addTask {
                    try await clock.sleep(seconds: seconds)
                    return seconds
                }
            }
            while clock.sleepers < 3 { await Task.yield() }
            clock.advance(by: 9.5)
            #expect(clock.sleepers == 3, "nobody's time has come")
            clock.advance(by: 0.5)
            var woken = [try await group.next()!]
            #expect(clock.sleepers == 2)
            clock.advance(by: 100)
            woken.append(try await group.next()!)
            woken.append(try await group.next()!)
            return woken
        }
        #expect(order.first == 10 && Set(order) == [10, 20, 30])
        #expect(clock.now() == Instant(seconds: 1_110))
    }

    @Test func aCancelledSleeperReturnsAtOnceWithoutTimeMoving() async {
        let clock = ManualClock(start: 0)
        await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask {
                do { try await clock.sleep(seconds: 3600) } catch { return error }
                return nil
            }
            while clock.sleepers < 1 { await Task.yield() }
            group.cancelAll()
            let thrown = await group.next() ?? nil
            #expect(thrown is CancellationError)
        }
        #expect(clock.sleepers == 0 && clock.uptime() == 0)
    }

    @Test func aWallClockJumpWakesNobody() async throws {
        let clock = ManualClock(start: 500)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(seconds: 60) }
            while clock.sleepers < 1 { await Task.yield() }
            clock.jump(by: 3600)
            #expect(clock.now() == Instant(seconds: 4_100) && clock.uptime() == 0 && clock.sleepers == 1)
            clock.advance(by: 60)
            try await group.waitForAll()
        }
    }
}
