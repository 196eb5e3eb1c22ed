@testable import SLADaemon
import Testing

/// A lane's decisions on numbers alone: concurrency, the rate window, a receiver's pause, room for the
/// dispatcher, graceful stop and a reload's handover.
@Suite struct LaneMachineTests {
    typealias Machine = LaneMachine<Int>

    func starts(_ machine: inout Machine, at now: Double) -> [Int] {
        var started: [Int] = []
        while case let .start(job) = machine.next(at: now) { started.append(job) }
        return started
    }

    @Test func atMostConcurrencyRunAtOnceAndTheRestStartAsThoseEnd() {
        var machine = Machine(concurrency: 2, perMinute: nil, capacity: 10)
        for job in 1...4 { machine.enqueue(job) }
        #expect(starts(&machine, at: 0) == [1, 2])
        guard case .idle = machine.next(at: 0) else { Issue.record("two run: nothing more may start"); return }
        machine.finished()
        #expect(starts(&machine, at: 1) == [3])
        machine.finished()
        machine.finished()
        #expect(starts(&machine, at: 2) == [4])
        #expect(machine.running == 1 && machine.waiting == 0)
    }

    @Test func theRateWindowHoldsTheFourthUntilTheFirstIsAMinuteOld() {
        var machine = Machine(concurrency: 8, perMinute: 3, capacity: 10)
        for job in 1...5 { machine.enqueue(job) }
        #expect(starts(&machine, at: 100) == [1, 2, 3])
        for _ in 1...3 { machine.finished() }
        guard case let .wait(until) = machine.next(at: 130) else { Issue.record("the window is full"); return }
        #expect(until == 160)
        guard case .wait = machine.next(at: 159.9) else { Issue.record("still within the minute"); return }
        #expect(starts(&machine, at: 160) == [4, 5])
    }

    @Test func aPauseHoldsEveryStartUntilItEndsAndALongerOneWins() {
        var machine = Machine(concurrency: 8, perMinute: nil, capacity: 10)
        machine.pause(until: 30)
        machine.pause(until: 20)   // a shorter pause does not shorten the longer one
        machine.enqueue(1)
        guard case let .wait(until) = machine.next(at: 10) else { Issue.record("paused"); return }
        #expect(until == 30)
        #expect(starts(&machine, at: 30) == [1])
        #expect(machine.pausedUntil == nil)
    }

    @Test func roomCountsWaitingAndRunningJobs() {
        var machine = Machine(concurrency: 2, perMinute: nil, capacity: 4)
        for job in 1...4 { machine.enqueue(job) }
        #expect(machine.room == 0)
        _ = starts(&machine, at: 0)
        #expect(machine.room == 0, "two running and two waiting fill a capacity of four")
        machine.finished()
        #expect(machine.room == 1)
    }

    @Test func aStoppedLaneStartsNothingAndIsDoneOnceItsDeliveriesEnd() {
        var machine = Machine(concurrency: 1, perMinute: nil, capacity: 10)
        machine.enqueue(1)
        machine.enqueue(2)
        #expect(starts(&machine, at: 0) == [1])
        machine.stop()
        guard case .idle = machine.next(at: 0) else { Issue.record("one delivery still runs"); return }
        #expect(machine.room == 0)
        machine.finished()
        guard case .done = machine.next(at: 0) else { Issue.record("stopped with nothing running: done"); return }
        #expect(machine.waiting == 1, "the job that never started stays in the outbox as pending")
    }

    @Test func aReloadHandsOverTheQueueTheRateWindowAndThePause() {
        var old = Machine(concurrency: 8, perMinute: 3, capacity: 10)
        for job in 1...5 { old.enqueue(job) }
        #expect(starts(&old, at: 10) == [1, 2, 3])
        old.pause(until: 40)
        let handover = old.retire()
        #expect(handover.waiting == [4, 5] && handover.started == [10, 10, 10] && handover.pausedUntil == 40)
        guard case .idle = old.next(at: 10) else { Issue.record("the retired lane's deliveries still run"); return }

        var new = Machine(concurrency: 8, perMinute: 3, capacity: 10)
        new.enqueue(6)
        new.adopt(handover)
        guard case let .wait(until) = new.next(at: 20) else { Issue.record("the pause carries over"); return }
        #expect(until == 40)
        guard case let .wait(window) = new.next(at: 40) else { Issue.record("the window carries over"); return }
        #expect(window == 70)
        #expect(starts(&new, at: 70) == [4, 5, 6], "the old lane's jobs keep their place ahead of the new ones")
    }

    @Test func anAnsweredDeliveryFreesItsWireSlotButCountsAgainstTheUnrecordedBound() {
        var machine = Machine(concurrency: 2, perMinute: nil, capacity: 10, unrecorded: 3)
        for job in 1...6 { machine.enqueue(job) }
        #expect(starts(&machine, at: 0) == [1, 2])
        machine.answered()
        #expect(starts(&machine, at: 0) == [3], "job 1 was answered: its slot on the wire takes job 3 while 1 waits for its commit")
        machine.answered()
        guard case .idle = machine.next(at: 0) else { Issue.record("three sent and unrecorded: nothing more may start"); return }
        #expect(machine.running == 1 && machine.settling == 2)
        #expect(machine.room == 10 - 3 - 3, "waiting, on the wire and waiting for a commit all hold room")
        machine.finished(answered: true)
        #expect(starts(&machine, at: 0) == [4])
        machine.stop()
        machine.answered()
        machine.answered()
        machine.finished(answered: true)
        machine.finished(answered: true)
        guard case .idle = machine.next(at: 0) else { Issue.record("stopped, one attempt still waits for its commit"); return }
        machine.finished(answered: true)
        guard case .done = machine.next(at: 0) else { Issue.record("stopped, every attempt recorded: done"); return }
    }

    @Test func unrecordedIsNeverBelowConcurrency() {
        var machine = Machine(concurrency: 4, perMinute: nil, capacity: 10, unrecorded: 1)
        for job in 1...4 { machine.enqueue(job) }
        #expect(starts(&machine, at: 0) == [1, 2, 3, 4])
    }
}
