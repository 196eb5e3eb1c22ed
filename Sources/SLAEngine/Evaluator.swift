import SLARules

extension Engine {
    /// Evaluates a ticket at `now`: the policy, every clock, the steps due and not yet in `fired`, and the
    /// next instant anything changes. Events after `now` are ignored, so a history can be replayed at any
    /// instant. Never reads the wall clock.
    public func evaluate(_ ticket: Ticket, at now: Instant, fired: [Firing] = []) -> Evaluation {
        let final = TicketReplay.state(of: ticket, at: now)
        // An event recorded for later than `now` (a replayed history) changes the ticket when it comes.
        let futureEvent = ticket.events.first { $0.at > now }?.at
        guard let index = policyIndex(fields: final.fields, status: final.status) else {
            return Evaluation(ticketID: ticket.id, now: now, policy: nil, status: final.status, cycle: final.cycle,
                              clocks: [], due: [], held: [], nextDue: futureEvent)
        }
        let compiled = policies[index]
        let runs = runClocks(compiled, ticket: ticket, now: now)
        var due: [DueStep] = []
        var held: [DueStep] = []
        var next: Instant?
        func consider(_ instant: Instant?) {
            guard let instant, instant > now else { return }
            if next == nil || instant < next! { next = instant }
        }
        let policyName = compiled.policy.name
        let quiet = quietWindow(containing: now, policy: policyName)
        for (stepIndex, step) in compiled.policy.steps.enumerated() {
            let run = runs[compiled.stepClocks[stepIndex]]
            guard run.isActive else { continue }
            let base: Instant?
            switch step.at {
            case let .offset(_, seconds): base = run.instant(consuming: run.budget).map { $0 + seconds }
            case let .share(_, percent): base = run.instant(consuming: run.budget * percent / 100)
            }
            guard let base else { continue }
            let key = compiled.stepKeys[stepIndex]
            var lastFired = -1
            for firing in fired where firing.step == key && firing.cycle == final.cycle && firing.policy == policyName {
                lastFired = max(lastFired, firing.repeatIndex)
            }
            var every = 0
            var maxRepeat = 0
            if let repeating = step.repeating, !TicketReplay.happened(repeating.until, in: ticket, cycle: final.cycle, at: now) {
                every = max(repeating.every.seconds, 1)
                maxRepeat = (repeating.limit ?? Int.max) - 1
            }
            guard base <= now else {
                if lastFired < 0 { consider(base) }
                continue
            }
            let reached = every == 0 ? 0 : min(maxRepeat, (now - base) / every)
            if reached > lastFired {
                let dueAt = base + reached * every
                let firing = Firing(policy: policyName, step: key, cycle: final.cycle, repeatIndex: reached)
                let holdable = compiled.stepHoldable[stepIndex]
                let item = DueStep(firing: firing, stepIndex: stepIndex, clock: step.at.clock, dueAt: dueAt,
                                   lateness: now - dueAt, missedRepeats: reached - lastFired - 1,
                                   wasHeld: holdable && quiet != nil)
                if holdable, let quiet {
                    held.append(item)
                    consider(quiet)
                    continue
                }
                due.append(item)
            }
            let following = max(reached, lastFired) + 1
            if every > 0, following <= maxRepeat {
                consider(base + following * every)
            }
        }
        var clocks: [ClockStatus] = []
        clocks.reserveCapacity(runs.count)
        for (clockIndex, run) in runs.enumerated() {
            let clock = compiled.policy.clocks[clockIndex]
            let status = run.status(clock, now: now)
            if run.isActive, let deadline = status.deadline { consider(deadline) }
            clocks.append(status)
        }
        consider(futureEvent)
        return Evaluation(ticketID: ticket.id, now: now, policy: policyName, status: final.status, cycle: final.cycle,
                          clocks: clocks, due: due, held: held, nextDue: next)
    }

    /// Replays the history up to `now` through the policy's clocks.
    func runClocks(_ compiled: CompiledPolicy, ticket: Ticket, now: Instant) -> [ClockRun] {
        let policy = compiled.policy
        var runs = policy.clocks.enumerated().map { ClockRun(clock: $0.element, measure: compiled.measures[$0.offset]) }
        var replay = TicketReplay(fields: ticket.fields)
        var paused = false
        for event in ticket.events {
            guard event.at <= now else { break }
            replay.apply(event)
            let at = event.at
            for index in runs.indices {
                runs[index].handle(event.kind, at: at, pausedNow: paused)
            }
            let nowPaused = TicketReplay.isPaused(policy: policy, fields: replay.fields, status: replay.status)
            if nowPaused != paused {
                paused = nowPaused
                for index in runs.indices { runs[index].setPaused(paused, at: at) }
            }
        }
        for index in runs.indices { runs[index].observe(at: now) }
        return runs
    }
}

/// Replays a ticket's fields and status through its history.
struct TicketReplay {
    var fields: TicketFields
    var status = "open"
    /// The status to go back to when a pause ends.
    var statusBeforePause = "open"
    var cycle = 0

    init(fields: TicketFields) { self.fields = fields }

    static func state(of ticket: Ticket, at now: Instant) -> TicketReplay {
        var replay = TicketReplay(fields: ticket.fields)
        for event in ticket.events {
            guard event.at <= now else { break }
            replay.apply(event)
        }
        return replay
    }

    static var pauseStatuses: Set<String> { TicketStatus.pauseStatuses }

    mutating func apply(_ event: TicketEventRecord) {
        switch event.kind {
        case .created, .comment, .assessed, .revisited:
            break
        case .assigned:
            if let assignee = event.changes?["assignee"] { fields.assignee = assignee }
            if status == "open" { status = "assigned" }
            if statusBeforePause == "open" { statusBeforePause = "assigned" }
        case .acknowledged:
            if Self.pauseStatuses.contains(status) { statusBeforePause = "acknowledged" } else { status = "acknowledged" }
        case .paused:
            if !Self.pauseStatuses.contains(status) { statusBeforePause = status }
            status = event.changes?["status"] ?? event.changes?["reason"] ?? "paused"
        case .resumed:
            if Self.pauseStatuses.contains(status) { status = statusBeforePause }
        case .resolved:
            status = "resolved"
        case .closed:
            status = "closed"
        case .reopened:
            cycle += 1
            status = fields.assignee == nil ? "open" : "assigned"
        case .regraded:
            for (name, value) in event.changes ?? [:] {
                if let field = TicketField(rawValue: name) { _ = fields.set(field, to: value.isEmpty ? nil : value) }
            }
        }
    }

    /// Whether the policy's clocks stand still: while its `pause while` condition holds, and during an
    /// operator's plain pause (a `paused` event without a reason). A pause with a reason the policy does
    /// not name (or a policy with no `pause while`) leaves the clocks running.
    static func isPaused(policy: Policy, fields: TicketFields, status: String) -> Bool {
        if status == "paused" { return true }
        return policy.pause.map { FieldMatcher.matches($0, fields: fields, status: status) } ?? false
    }

    /// Whether `event` happened since the ticket's latest reopening, at or before `now`.
    static func happened(_ event: TicketEvent, in ticket: Ticket, cycle: Int, at now: Instant) -> Bool {
        var currentCycle = 0
        var seen = false
        for record in ticket.events {
            guard record.at <= now else { break }
            if record.kind == .reopened {
                currentCycle += 1
                seen = false
            } else if record.kind.rawValue == event.rawValue {
                seen = true
            }
        }
        return seen && currentCycle == cycle
    }
}
