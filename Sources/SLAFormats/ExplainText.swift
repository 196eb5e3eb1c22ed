import SLAEngine
import SLARules

/// The text `slad explain` prints, and the daemon's `GET /v1/tickets/{id}/explain?format=text` answers.
public struct ExplainText {
    let engine: Engine
    let ticket: Ticket
    let explanation: Explanation

    public init(engine: Engine, ticket: Ticket, explanation: Explanation) {
        self.engine = engine
        self.ticket = ticket
        self.explanation = explanation
    }

    var zone: ZoneTable { engine.displayZone }
    var now: Instant { explanation.evaluation.now }

    public func render() -> String {
        var lines: [String] = []
        let evaluation = explanation.evaluation
        let (fields, status) = engine.fields(of: ticket, at: now)
        var summary = [fields.kind]
        if let grade = fields.grade { summary.append("grade \(grade)") }
        if let priority = fields.priority { summary.append(priority) }
        if let category = fields.category { summary.append(category) }
        let place = [fields.site, fields.building, fields.unit].compactMap { $0 }.joined(separator: " ")
        if !place.isEmpty { summary.append(place) }
        if let assignee = fields.assignee { summary.append("assignee \(person(assignee))") }
        lines.append("ticket \(ticket.id): \(summary.joined(separator: " · "))")
        lines.append("status \(status) at \(zone.formatShort(now)) (\(zone.identifier))\(evaluation.cycle > 0 ? ", reopened \(evaluation.cycle)×" : "")")
        lines.append("")
        if let routing = explanation.routing { lines += routingLines(routing) }
        for trial in explanation.tried where !trial.matched {
            lines.append("not policy \(trial.policy)\(trial.title.map { " \"\($0)\"" } ?? ""): \(trial.reasoning)")
        }
        guard let policyName = evaluation.policy, let policy = engine.rules.policies.first(where: { $0.name == policyName }) else {
            lines.append("no policy matches this ticket: no clock runs and nobody will be told")
            return lines.joined(separator: "\n")
        }
        let matched = explanation.tried.last
        lines.append("policy \(policy.name)\(policy.title.map { " \"\($0)\"" } ?? "") (\(engine.rules.files[policy.location.file]))")
        lines.append("  because \(matched?.reasoning ?? "")")
        lines.append("")
        lines.append("clocks")
        for (index, clock) in evaluation.clocks.enumerated() {
            let rule = policy.clocks[index]
            lines.append("  \(clock.name)\(clock.title.map { " \($0)" } ?? ""): within \(rule.limit)\(rule.start == .created ? "" : " from \(rule.start.rawValue)") until \(Self.until(rule.stop))")
            lines.append("    " + clockLine(clock))
            if clock.beyondCalendarData { lines.append("    ! " + beyondDataNote(clock: rule.name, policy: policy.name)) }
        }
        lines.append("")
        lines.append("steps")
        for step in explanation.steps {
            var text = "  \(step.key): "
            switch step.state {
            case .fired: text += "sent"
            case .due: text += "DUE NOW (fell due \(step.at.map(zone.formatShort) ?? "?"))"
            case .held: text += "held by a quiet window (fell due \(step.at.map(zone.formatShort) ?? "?"))"
            case .scheduled: text += "fires \(step.at.map(zone.formatShort) ?? "?") (in \(span(step.at! - now)))"
            case .idle: text += "will not fire: \(step.reason ?? "")"
            }
            if let repeating = step.repeating {
                text += ", repeats every \(repeating.every) until \(Self.until(repeating.until))\(repeating.limit.map { ", at most \($0) times" } ?? "")"
            }
            lines.append(text)
            lines.append("    notify \(step.targets.map(\.description).joined(separator: ", ")) → " + reach(step.recipients))
            for problem in step.recipients.unreached {
                lines.append("    ! cannot reach \(problem)")
            }
            if let fallback = step.recipients.fallback {
                lines.append("    ! no target reached anyone; the \(fallback) is told instead")
            }
        }
        if let next = evaluation.nextDue {
            lines.append("")
            lines.append("next change: \(zone.formatShort(next)) (in \(span(next - now)))")
        }
        return lines.joined(separator: "\n")
    }

    func person(_ name: String) -> String {
        engine.rules.people[name]?.displayName.map { "\($0) (\(name))" } ?? name
    }

    func reach(_ recipients: StepRecipients) -> String {
        let parts = recipients.deliveries.map { delivery -> String in
            let people = delivery.recipients.map { $0.displayName ?? $0.person }
            return "\(delivery.channel): \(people.isEmpty ? "nobody" : people.joined(separator: ", "))"
        }
        return parts.isEmpty ? "nobody" : parts.joined(separator: "; ")
    }

    func clockLine(_ clock: ClockStatus) -> String {
        var parts = [clock.state.rawValue]
        if let started = clock.startedAt { parts.append("started \(zone.formatShort(started))") }
        if let stopped = clock.stoppedAt {
            parts.append("stopped \(zone.formatShort(stopped))" + (clock.stoppedBy.map { " by \($0.rawValue)" } ?? ""))
        }
        if let deadline = clock.deadline {
            var text = "deadline \(zone.formatShort(deadline))"
            if !clock.isStopped, clock.state != .pending {
                let wall = deadline - now
                text += wall >= 0 ? " (in \(span(wall))" : " (overdue by \(span(-wall))"
                if clock.countsWorkingTime {
                    text += clock.remaining >= 0 ? ", \(span(clock.remaining)) of working time left)" : ", \(span(-clock.remaining)) of working time over)"
                } else {
                    text += ")"
                }
            }
            parts.append(text)
        }
        if clock.state != .pending {
            parts.append("used \(span(clock.consumed)) of \(span(clock.budget))\(clock.countsWorkingTime ? " working time" : "")")
        }
        return parts.joined(separator: " · ")
    }

    /// `acknowledged (or assessed, resolved, revisited)`: the states that meet the wait (`LifecycleOrder`).
    static func until(_ event: TicketEvent) -> String {
        let later = LifecycleOrder.later(than: EventKind(rawValue: event.rawValue) ?? .created)
        return event.rawValue + (later.isEmpty ? "" : " (or \(later.map(\.rawValue).joined(separator: ", ")))")
    }

    /// The marker of a deadline counted past the calendar's holiday data.
    func beyondDataNote(clock: String, policy: String) -> String {
        let measure = engine.workingTime(ofClock: clock, policy: policy)
        let until = measure?.dataUntil.map { " (it runs to \($0))" } ?? ""
        return "deadline beyond the holiday data of calendar \(measure?.calendarName ?? "?")\(until): holidays and make-up working days there are not counted; load that year's notice (docs/operations.md)"
    }

    func span(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds)s" : SLARules.Duration(seconds: seconds / 60 * 60).description
    }
}
