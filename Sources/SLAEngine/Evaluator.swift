import SLARules

extension Engine {
    /// Evaluates a ticket at `now`: the policy, every clock, the steps due and not yet in `fired`, and the
    /// next instant anything changes. Events after `now` are ignored, so a history can be replayed at any
    /// instant. Never reads the wall clock.
    public func evaluate(_ ticket: Ticket, at now: Instant, fired: [Firing] = []) -> Evaluation {
        // Most histories never change a field (no assignment or regrading): then the ticket's own fields
        // hold at `now`, and only the status is replayed, which saves copying the fields.
        var progress = StatusReplay(hasAssignee: ticket.fields.assignee != nil)
        let events = ticket.events
        for index in events.indices {
            guard events[index].at <= now else { break }
            let kind = events[index].kind
            if kind == .assigned || kind == .regraded {
                let final = TicketReplay.state(of: ticket, at: now)
                return evaluate(ticket, fields: final.fields, progress: final.progress, at: now, fired: fired)
            }
            progress.apply(kind, changes: events[index].changes)
        }
        return evaluate(ticket, fields: ticket.fields, progress: progress, at: now, fired: fired)
    }

    private func evaluate(_ ticket: Ticket, fields: TicketFields, progress: StatusReplay, at now: Instant, fired: [Firing]) -> Evaluation {
        // An event recorded for later than `now` (a replayed history) changes the ticket when it comes.
        let futureEvent = ticket.events.last.flatMap { $0.at > now ? ticket.events.first { $0.at > now }?.at : nil }
        guard let index = policyIndex(fields: fields, status: progress.status) else {
            return Evaluation(ticketID: ticket.id, now: now, policy: nil, status: progress.status, cycle: progress.cycle,
                              clocks: [], due: [], held: [], nextDue: futureEvent)
        }
        let compiled = policies[index]
        return withUnsafeTemporaryAllocation(of: ClockRun.self, capacity: compiled.plans.count) { runs in
            runClocks(compiled, ticket: ticket, now: now, into: runs)
            // Moved out one by one: `deinitialize()` goes through the runtime's generic array destruction.
            defer { for index in runs.indices { _ = (runs.baseAddress! + index).move() } }
            // The future event counts towards `nextDue` like any deadline (rather than building the result twice).
            return evaluation(of: ticket, policy: compiled, runs: UnsafeBufferPointer(runs), state: progress, at: now,
                              fired: fired, nextEvent: futureEvent)
        }
    }

    /// The steps due, held and next, and the clocks, from the replayed clocks of the matching policy.
    /// `lastFired`, when given, holds per step the highest repeat already fired in this policy and cycle
    /// (-1 for none), standing in for a scan of `fired` (the replay keeps it as it goes).
    /// Without `withClocks` the evaluation has no clock statuses (its `nextDue` still counts the deadlines):
    /// the replay needs the clocks only at the end.
    func evaluation(of ticket: Ticket, policy compiled: CompiledPolicy, runs: UnsafeBufferPointer<ClockRun>, state final: StatusReplay,
                    at now: Instant, fired: [Firing], lastFired known: [Int]? = nil, withClocks: Bool = true,
                    nextEvent: Instant? = nil) -> Evaluation {
        var due: [DueStep] = []
        var held: [DueStep] = []
        var next: Instant?
        func consider(_ instant: Instant?) {
            guard let instant, instant > now else { return }
            if next == nil || instant < next! { next = instant }
        }
        consider(nextEvent)
        let policyName = compiled.policy.name
        let quiet = compiled.quiet.isEmpty ? nil : Self.quietEnd(compiled.quiet, containing: now)
        for stepIndex in compiled.stepTimes.indices {
            // Read through the array rather than binding a copy of the run (a copy retains its plan).
            let clock = compiled.stepClocks[stepIndex]
            guard runs[clock].isActive else { continue }
            let plan = compiled.stepTimes[stepIndex]
            let base: Instant?
            if let percent = plan.percent {
                base = runs[clock].instant(consuming: runs[clock].budget * percent / 100)
            } else {
                base = runs[clock].budgetReachedAt.map { $0 + plan.offset }
            }
            guard let base else { continue }
            var lastFired = -1
            if let known {
                lastFired = known[stepIndex]
            } else {
                // The key is read in place, not bound: a binding retains the string for every step of every evaluation.
                for firing in fired where firing.step == compiled.stepKeys[stepIndex] && firing.cycle == final.cycle
                    && firing.policy == policyName {
                    lastFired = max(lastFired, firing.repeatIndex)
                }
            }
            var every = 0
            var maxRepeat = 0
            if plan.every > 0, let until = compiled.stepRepeatUntil[stepIndex],
               !TicketReplay.happened(until, in: ticket, cycle: final.cycle, at: now) {
                every = plan.every
                maxRepeat = plan.maxRepeat
            }
            guard base <= now else {
                if lastFired < 0 { consider(base) }
                continue
            }
            let reached = every == 0 ? 0 : min(maxRepeat, (now - base) / every)
            if reached > lastFired {
                let dueAt = base + reached * every
                let firing = Firing(policy: policyName, step: compiled.stepKeys[stepIndex], cycle: final.cycle, repeatIndex: reached)
                let holdable = compiled.stepHoldable[stepIndex]
                let item = DueStep(firing: firing, stepIndex: stepIndex, clock: compiled.stepClockNames[stepIndex], dueAt: dueAt,
                                   lateness: now - dueAt, missedRepeats: reached - lastFired - 1,
                                   wasHeld: holdable && quiet != nil)
                if holdable, let quiet {
                    held.append(item)
                    consider(quiet)
                    continue
                }
                // One allocation, sized for every step left, rather than growing from empty (most evaluations have none due).
                if due.isEmpty { due.reserveCapacity(compiled.stepTimes.count - stepIndex) }
                due.append(item)
            }
            let following = max(reached, lastFired) + 1
            if every > 0, following <= maxRepeat {
                consider(base + following * every)
            }
        }
        var clocks: [ClockStatus] = []
        guard withClocks else {
            for clockIndex in runs.indices where runs[clockIndex].isActive {
                consider(runs[clockIndex].budgetReachedAt)
            }
            return Evaluation(ticketID: ticket.id, now: now, policy: policyName, status: final.status, cycle: final.cycle,
                              clocks: [], due: due, held: held, nextDue: next)
        }
        clocks.reserveCapacity(runs.count)
        for clockIndex in runs.indices {
            let status = runs[clockIndex].status(name: compiled.clockNames[clockIndex], title: compiled.clockTitles[clockIndex], now: now)
            if runs[clockIndex].isActive, let deadline = status.deadline { consider(deadline) }
            clocks.append(status)
        }
        return Evaluation(ticketID: ticket.id, now: now, policy: policyName, status: final.status, cycle: final.cycle,
                          clocks: clocks, due: due, held: held, nextDue: next)
    }

    /// Replays the history up to `now` through the policy's clocks.
    /// The same steps as `ClockReplay.advance` from the start, written out: building a `ClockReplay` for one
    /// evaluation costs more than the replay itself. ReplayTests hold the two to the same answers.
    func runClocks(_ compiled: CompiledPolicy, ticket: Ticket, now: Instant) -> [ClockRun] {
        Array(unsafeUninitializedCapacity: compiled.plans.count) { buffer, count in
            runClocks(compiled, ticket: ticket, now: now, into: buffer)
            count = compiled.plans.count
        }
    }

    /// The same into `runs`: uninitialized memory for one run per clock, initialized on return. `evaluate`
    /// keeps them on the stack (`withUnsafeTemporaryAllocation`) rather than allocating an array each time.
    func runClocks(_ compiled: CompiledPolicy, ticket: Ticket, now: Instant, into runs: UnsafeMutableBufferPointer<ClockRun>) {
        for index in compiled.plans.indices { (runs.baseAddress! + index).initialize(to: ClockRun(plan: compiled.plans[index])) }
        var paused = false
        let events = ticket.events
        if compiled.pauseUsesFields {
            var replay = TicketReplay(fields: ticket.fields)
            for index in events.indices {
                let at = events[index].at
                guard at <= now else { break }
                replay.apply(events[index])
                let kind = events[index].kind
                for clock in runs.indices { runs[clock].handle(kind, at: at, pausedNow: paused) }
                let nowPaused = isPaused(compiled, fields: replay.fields, status: replay.status)
                if nowPaused != paused {
                    paused = nowPaused
                    for clock in runs.indices { runs[clock].setPaused(paused, at: at) }
                }
            }
        } else {
            var progress = StatusReplay(hasAssignee: ticket.fields.assignee != nil)
            for index in events.indices {
                let at = events[index].at
                guard at <= now else { break }
                let kind = events[index].kind
                progress.apply(kind, changes: events[index].changes)
                for clock in runs.indices { runs[clock].handle(kind, at: at, pausedNow: paused) }
                let nowPaused = isPaused(compiled, fields: ticket.fields, status: progress.status)
                if nowPaused != paused {
                    paused = nowPaused
                    for clock in runs.indices { runs[clock].setPaused(paused, at: at) }
                }
            }
        }
        for index in runs.indices { runs[index].observe(at: now) }
    }
}

/// The clocks of one policy replayed through a ticket's history up to a point, and advanced from there
/// event by event: `evaluate` replays from the start each time; `replay` keeps one and moves it on.
struct ClockReplay {
    let policyIndex: Int
    let compiled: CompiledPolicy
    private(set) var runs: [ClockRun]
    private var paused = false
    /// The fields as they change, when the policy's `pause while` looks at them.
    private var fields: TicketReplay?
    private var progress: StatusReplay
    /// The first event not yet applied.
    private var nextEvent = 0

    init(_ compiled: CompiledPolicy, ticket: Ticket, policyIndex: Int = 0) {
        self.policyIndex = policyIndex
        self.compiled = compiled
        runs = []
        runs.reserveCapacity(compiled.plans.count)
        for plan in compiled.plans { runs.append(ClockRun(plan: plan)) }
        fields = compiled.pauseUsesFields ? TicketReplay(fields: ticket.fields) : nil
        progress = StatusReplay(hasAssignee: ticket.fields.assignee != nil)
    }

    /// Applies the events up to `now` not yet applied, and observes every clock at `now`.
    mutating func advance(_ ticket: Ticket, to now: Instant, in engine: Engine) {
        let events = ticket.events
        while nextEvent < events.count {
            let at = events[nextEvent].at
            guard at <= now else { break }
            let kind = events[nextEvent].kind
            let nowPaused: Bool
            if fields != nil {
                fields!.apply(events[nextEvent])
                for clock in runs.indices { runs[clock].handle(kind, at: at, pausedNow: paused) }
                nowPaused = engine.isPaused(compiled, fields: fields!.fields, status: fields!.status)
            } else {
                progress.apply(kind, changes: events[nextEvent].changes)
                for clock in runs.indices { runs[clock].handle(kind, at: at, pausedNow: paused) }
                nowPaused = engine.isPaused(compiled, fields: ticket.fields, status: progress.status)
            }
            if nowPaused != paused {
                paused = nowPaused
                for clock in runs.indices { runs[clock].setPaused(paused, at: at) }
            }
            nextEvent += 1
        }
        for clock in runs.indices { runs[clock].observe(at: now) }
    }
}

/// Replays a ticket's status through its history, without its fields: all that the clocks need when the
/// policy's `pause while` looks at the status only (copying the fields costs more than replaying them).
struct StatusReplay {
    private(set) var status = "open"
    /// The status to go back to when a pause ends (never a pause status).
    private(set) var statusBeforePause = "open"
    /// Whether `status` is one of the pause statuses, kept with it: comparing the status with those strings
    /// (one is too long for a `String`'s inline form) at every event cost more than the rest of the replay.
    private(set) var isInPause = false
    var cycle = 0
    var hasAssignee: Bool

    init(hasAssignee: Bool) { self.hasAssignee = hasAssignee }

    @inline(__always)
    mutating func apply(_ kind: EventKind, changes: [String: String]?) {
        switch kind {
        case .created, .comment, .assessed, .revisited:
            break
        case .assigned:
            if changes?["assignee"] != nil { hasAssignee = true }
            if status == "open" { status = "assigned" }
            if statusBeforePause == "open" { statusBeforePause = "assigned" }
        case .acknowledged:
            if isInPause { statusBeforePause = "acknowledged" } else { status = "acknowledged" }
        case .paused:
            if !isInPause { statusBeforePause = status }
            status = changes?["status"] ?? changes?["reason"] ?? "paused"
            isInPause = TicketReplay.isPauseStatus(status)
        case .resumed:
            if isInPause {
                status = statusBeforePause
                isInPause = false
            }
        case .resolved:
            status = "resolved"
            isInPause = false
        case .closed:
            status = "closed"
            isInPause = false
        case .reopened:
            cycle += 1
            status = hasAssignee ? "assigned" : "open"
            isInPause = false
        case .regraded:
            if let assignee = changes?["assignee"] { hasAssignee = !assignee.isEmpty }
        }
    }
}

/// Replays a ticket's fields and status through its history.
struct TicketReplay {
    var fields: TicketFields
    var progress: StatusReplay
    var status: String { progress.status }
    var cycle: Int { progress.cycle }

    init(fields: TicketFields) {
        self.fields = fields
        progress = StatusReplay(hasAssignee: fields.assignee != nil)
    }

    static func state(of ticket: Ticket, at now: Instant) -> TicketReplay {
        var replay = TicketReplay(fields: ticket.fields)
        let events = ticket.events
        for index in events.indices {
            guard events[index].at <= now else { break }
            replay.apply(events[index])
        }
        return replay
    }

    @inline(__always)
    static func isPauseStatus(_ status: String) -> Bool { TicketStatus.isPauseStatus(status) }

    mutating func apply(_ event: TicketEventRecord) {
        progress.apply(event.kind, changes: event.changes)
        switch event.kind {
        case .assigned:
            if let assignee = event.changes?["assignee"] { fields.assignee = assignee }
        case .regraded:
            for (name, value) in event.changes ?? [:] {
                if let field = TicketField(rawValue: name) { _ = fields.set(field, to: value.isEmpty ? nil : value) }
            }
        default:
            break
        }
    }

    /// Whether `event`, or a later state of the closed loop (`LifecycleOrder`), happened since the ticket's
    /// latest reopening, at or before `now`.
    static func happened(_ event: EventKind, in ticket: Ticket, cycle: Int, at now: Instant) -> Bool {
        var currentCycle = 0
        var seen = false
        let events = ticket.events
        for index in events.indices {
            guard events[index].at <= now else { break }
            let kind = events[index].kind
            if kind == .reopened {
                currentCycle += 1
                seen = false
            } else if LifecycleOrder.meets(kind, event) {
                seen = true
            }
        }
        return seen && currentCycle == cycle
    }
}
