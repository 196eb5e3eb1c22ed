/// A ticket's whole history replayed on virtual time: every escalation step that would have fired, when,
/// and whom it would have reached; the ticket's state at the end.
public struct Replay: Sendable {
    public struct Fired: Sendable {
        /// The instant the step fired: its due time, or later when a quiet window held it or a regrade
        /// made it due in the past.
        public let at: Instant
        public let step: DueStep
        /// Empty when recipients were not asked for.
        public let recipients: StepRecipients
    }

    public let fired: [Fired]
    /// The evaluation at the end: after the last change, or at the horizon when changes go on past it.
    public let final: Evaluation
    /// How many times the ticket was evaluated.
    public let evaluations: Int
    /// The replay stopped at `maxEvaluations` before the ticket came to rest or reached the horizon.
    public let isCutShort: Bool
}

extension Engine {
    /// Replays a ticket from its creation: evaluates it at its creation, at each later event and at each
    /// `nextDue`, recording every due step as fired, until nothing more is due or the next change lies
    /// after `horizon`. Pure: the same ticket and horizon give the same replay.
    ///
    /// - Parameters:
    ///   - horizon: the last instant to look at; steps due after it are not fired.
    ///   - withRecipients: resolve each fired step's recipients (rosters on duty at the instant it fires).
    ///   - maxEvaluations: a guard against a step that repeats without end; the replay is then cut short.
    public func replay(_ ticket: Ticket, until horizon: Instant, withRecipients: Bool = true,
                       maxEvaluations: Int = 10_000) -> Replay {
        let events = ticket.events
        var now = events.first?.at ?? ticket.createdAt
        var fired: [Firing] = []
        var steps: [Replay.Fired] = []
        var nextEvent = events.firstIndex { $0.at > now } ?? events.count
        var evaluations = 0
        // The same as `evaluate(ticket, at: now, fired: fired)` at each instant, but moved on from the last
        // instant instead of replayed from the start: time only goes forward here. The policy is matched
        // again only after an event; the clocks start over only when the policy changes (a regrade).
        var state = TicketReplay(fields: ticket.fields)
        var applied = 0
        var matched: Int?
        var clocks: ClockReplay?
        var clocksPolicy = -1
        // Per step of the matched policy, the highest repeat fired in the current cycle: what `evaluate`
        // finds by scanning `fired`. Rebuilt from `fired` when the policy or the cycle changes.
        var lastFired: [Int] = []
        var lastFiredFor: (policy: Int, cycle: Int) = (-1, -1)
        func evaluate(at now: Instant, withClocks: Bool, lastFiredBefore: [Int]? = nil) -> Evaluation {
            var changed = evaluations == 0
            while applied < events.count, events[applied].at <= now {
                state.apply(events[applied])
                applied += 1
                changed = true
            }
            if changed { matched = policyIndex(fields: state.fields, status: state.status) }
            guard let index = matched else {
                return Evaluation(ticketID: ticket.id, now: now, policy: nil, status: state.status, cycle: state.cycle,
                                  clocks: [], due: [], held: [], nextDue: nil)
            }
            if clocksPolicy != index {
                clocks = ClockReplay(policies[index], ticket: ticket, policyIndex: index)
                clocksPolicy = index
            }
            clocks!.advance(ticket, to: now, in: self)
            let compiled = policies[index]
            if lastFiredFor.policy != index || lastFiredFor.cycle != state.cycle {
                lastFiredFor = (index, state.cycle)
                lastFired = compiled.stepKeys.map { key in
                    fired.reduce(-1) { last, firing in
                        firing.step == key && firing.cycle == state.cycle && firing.policy == compiled.policy.name
                            ? max(last, firing.repeatIndex) : last
                    }
                }
            }
            return clocks!.runs.withUnsafeBufferPointer { runs in
                evaluation(of: ticket, policy: compiled, runs: runs, state: state.progress, at: now,
                           fired: fired, lastFired: lastFiredBefore ?? lastFired, withClocks: withClocks)
            }
        }
        while true {
            // The clocks' statuses are built only for the evaluation that ends the replay.
            let evaluation = evaluate(at: now, withClocks: false)
            evaluations += 1
            let lastFiredBefore = lastFired
            for step in evaluation.due {
                let recipients = withRecipients ? self.recipients(for: step, of: ticket, at: now) : StepRecipients()
                steps.append(Replay.Fired(at: now, step: step, recipients: recipients))
                fired.append(step.firing)
                if lastFiredFor.policy == matched, lastFiredFor.cycle == step.firing.cycle {
                    lastFired[step.stepIndex] = max(lastFired[step.stepIndex], step.firing.repeatIndex)
                }
            }
            /// This instant's evaluation again, with its clocks: what `evaluate` said before the steps fired.
            func final() -> Evaluation {
                evaluation.policy == nil ? evaluation : evaluate(at: now, withClocks: true, lastFiredBefore: lastFiredBefore)
            }
            var next = evaluation.nextDue
            if nextEvent < events.count, next == nil || events[nextEvent].at < next! { next = events[nextEvent].at }
            guard let upcoming = next else {
                return Replay(fired: steps, final: final(), evaluations: evaluations, isCutShort: false)
            }
            guard upcoming <= horizon else {
                guard horizon > now else {
                    return Replay(fired: steps, final: final(), evaluations: evaluations, isCutShort: false)
                }
                let last = evaluate(at: horizon, withClocks: true)
                return Replay(fired: steps, final: last, evaluations: evaluations + 1, isCutShort: false)
            }
            guard evaluations < maxEvaluations else {
                return Replay(fired: steps, final: final(), evaluations: evaluations, isCutShort: true)
            }
            now = upcoming
            while nextEvent < events.count, events[nextEvent].at <= now { nextEvent += 1 }
        }
    }
}
