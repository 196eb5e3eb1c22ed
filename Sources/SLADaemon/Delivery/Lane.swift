import SLANotify
import SLAStore

/// One channel's queue: at most `concurrency` deliveries on the wire at once and at most `perMinute`
/// started in any sixty seconds; the rest wait their turn here, never in another channel's way. The
/// decisions are `LaneMachine`'s; this actor runs them as a child task of the delivery service, each
/// delivery a child task of its own (sent, then recorded), and sleeps on the service's clock.
actor Lane {
    let channel: String
    let notifier: any Notifier
    let fallback: (name: String, kind: String)?
    private let clock: any WallClock
    private var machine: LaneMachine<OutboxJob>
    private let bell = Doorbell()
    /// Set when the dispatcher found the lane full: told once half its room is back.
    private var roomWanted = false
    private let roomBack: @Sendable () -> Void

    init(channel: String, notifier: any Notifier, machine: LaneMachine<OutboxJob>, fallback: (name: String, kind: String)?,
         clock: any WallClock, roomBack: @escaping @Sendable () -> Void) {
        self.channel = channel
        self.notifier = notifier
        self.machine = machine
        self.fallback = fallback
        self.clock = clock
        self.roomBack = roomBack
    }

    /// Takes as many of `jobs` as it has room for, in order; returns how many it took.
    func enqueue(_ jobs: ArraySlice<OutboxJob>) -> Int {
        let taken = min(jobs.count, machine.room)
        for job in jobs.prefix(taken) { machine.enqueue(job) }
        if taken > 0 { bell.ring() }
        _ = hasRoom()
        return taken
    }

    /// Whether the dispatcher may hand it more; when not, the dispatcher is rung once half the room is back.
    func hasRoom() -> Bool {
        if machine.room == 0 { roomWanted = true }
        return machine.room > 0
    }

    /// The receiver asked for a pause (Retry-After, a vendor's "too fast"): nothing starts before it ends.
    func pause(seconds: Double) { machine.pause(until: clock.uptime() + min(seconds, 3600)) }

    /// Graceful shutdown: nothing more starts; `run` returns once the running deliveries end.
    func stop() {
        machine.stop()
        bell.ring()
    }

    /// A reload replaces the lane: it stops starting deliveries and gives up its queue and windows.
    func retire() -> LaneMachine<OutboxJob>.Handover {
        defer { bell.ring() }
        return machine.retire()
    }

    func adopt(_ handover: LaneMachine<OutboxJob>.Handover) {
        machine.adopt(handover)
        bell.ring()
    }

    /// Starts deliveries as the machine decides until the lane is stopped or retired and every delivery it
    /// started has ended (they are its child tasks). Each is `send`, then, with its slot on the wire already
    /// free for the next, `record` of what the receiver answered.
    func run<Answer: Sendable>(send: @escaping @Sendable (OutboxJob, Lane) async -> Answer,
                               record: @escaping @Sendable (Answer) async -> Void) async {
        await withDiscardingTaskGroup { deliveries in
            while !Task.isCancelled {
                switch machine.next(at: clock.uptime()) {
                case let .start(job):
                    deliveries.addTask {
                        let answer = await send(job, self)
                        await self.answered()
                        await record(answer)
                        await self.finished(answered: true)
                    }
                case let .wait(until):
                    await bell.wait(seconds: until - clock.uptime(), clock: clock)
                case .idle:
                    await bell.wait()
                case .done:
                    return
                }
            }
        }
    }

    private func answered() {
        machine.answered()
        bell.ring()
    }

    private func finished(answered: Bool) {
        machine.finished(answered: answered)
        if roomWanted, machine.room * 2 >= machine.capacity {
            roomWanted = false
            roomBack()
        }
        bell.ring()
    }
}
