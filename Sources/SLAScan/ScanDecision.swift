import SLAActions
import SLAEngine
import SLAFormats

/// The scan's decision, pure: from what a store read (`ScanInput`) and `now`, which steps fire or are
/// held, which tickets breached, what each firing's outbox jobs say, and every subject's next-due instant
/// (`ScanPlan`). No clock, no I/O, no row ids: every store applies the same plan in its one transaction
/// (docs/adr/0030).
public enum ScanDecision {
    public static func decide(_ input: ScanInput, engine: Engine, now: Instant) -> ScanPlan {
        var plan = ScanPlan()
        var open = input.openIncidents
        plan.incidents.reserveCapacity(input.incidents.count)
        for due in input.incidents {
            let outcome = decide(due, engine: engine, now: now, withLinks: input.withLinks)
            // The incidents' state is written before the tickets are looked at: an incident this scan finds
            // closed holds nothing, one it finds open holds its tickets.
            if case let .evaluated(incident, evaluation, _) = outcome {
                if evaluation.isClosed { open.remove(incident.id) } else { open.insert(incident.id) }
            }
            plan.incidents.append(outcome)
        }
        plan.tickets.reserveCapacity(input.tickets.count)
        for due in input.tickets {
            plan.tickets.append(decide(due, holding: open, engine: engine, now: now, withLinks: input.withLinks))
        }
        return plan
    }

    /// One ticket: each due step is sent (recipients, message, title, links) or, while an open incident
    /// explains the ticket, held (recorded with that incident, nothing sent).
    static func decide(_ due: DueTicket, holding: Set<String>, engine: Engine, now: Instant, withLinks: Bool) -> TicketOutcome {
        let ticket = due.ticket
        let evaluation = engine.evaluate(ticket, at: now, fired: due.fired)
        let heldBy = due.incidentID.flatMap { holding.contains($0) ? $0 : nil }
        var firings: [PlannedFiring] = []
        for step in evaluation.due {
            if let heldBy {
                firings.append(PlannedFiring(subject: .ticket, subjectID: ticket.id, firing: step.firing, dueAt: step.dueAt,
                                             lateness: step.lateness, missed: step.missedRepeats, people: [],
                                             unreached: ["held by incident \(heldBy)"], heldBy: heldBy, jobs: [], links: nil))
                continue
            }
            let recipients = engine.recipients(for: step, of: ticket, at: now)
            let clock = evaluation.clocks.first { $0.name == step.clock }
            let message = MessageComposer.messageParts(engine: engine, ticket: ticket, step: step, clock: clock, at: now)
            let title = MessageComposer.title(engine: engine, ticket: ticket, step: step, clock: clock, at: now)
            let links = withLinks ? ticketLinks(ticket, step: step.firing.step, policy: evaluation.policy, recipients: recipients,
                                                engine: engine, now: now) : nil
            firings.append(PlannedFiring(subject: .ticket, subjectID: ticket.id, firing: step.firing, dueAt: step.dueAt,
                                         lateness: step.lateness, missed: step.missedRepeats, people: recipients.people,
                                         unreached: recipients.unreached.map(\.description), heldBy: nil,
                                         jobs: jobs(recipients, message: message, title: title), links: links))
        }
        let overdue = evaluation.clocks.contains { $0.state == .breached && !$0.isStopped }
        return TicketOutcome(ticket: ticket, evaluation: evaluation, firings: firings, isOverdue: overdue,
                             isBreach: overdue && !due.wasOverdue)
    }

    /// One incident: each notice due (a step's owner told, a step overdue) with its recipients and message.
    static func decide(_ due: DueIncident, engine: Engine, now: Instant, withLinks: Bool) -> IncidentOutcome {
        let incident = due.incident
        guard let evaluation = engine.evaluate(incident, at: now, fired: due.fired) else { return .planGone(id: incident.id) }
        var firings: [PlannedFiring] = []
        for notice in evaluation.due {
            // A step's owner is whoever was on duty when the step came in (the declaration or the raise),
            // even when this scan runs later; an overdue notice reaches whoever is on duty now.
            let recipients = engine.recipients(for: notice, of: incident, at: notice.kind == .assigned ? notice.dueAt : now)
            let message = MessageComposer.messageParts(engine: engine, incident: incident, evaluation: evaluation, notice: notice, at: now)
            let links = withLinks ? evaluation.steps.first { $0.name == notice.step }.map { incidentLinks(incident, step: $0, recipients: recipients) } : nil
            firings.append(PlannedFiring(subject: .incident, subjectID: incident.id, firing: notice.firing, dueAt: notice.dueAt,
                                         lateness: max(0, now - notice.dueAt), missed: 0, people: recipients.people,
                                         unreached: recipients.unreached.map(\.description), heldBy: nil,
                                         jobs: jobs(recipients, message: message, title: nil), links: links))
        }
        return .evaluated(incident, evaluation, firings: firings)
    }

    /// A fired step's outbox jobs: one per channel that reaches someone, or that needs no address.
    public static func jobs(_ recipients: StepRecipients, message: MessageParts, title: String?) -> [PlannedJob] {
        recipients.deliveries.compactMap { delivery in
            guard !delivery.recipients.isEmpty || delivery.kind.personalAddress == nil else { return nil }
            return PlannedJob(channel: delivery.channel, kind: delivery.kind.rawValue,
                              recipients: delivery.recipients.map { PlannedRecipient(person: $0.person, name: $0.displayName, address: $0.address) },
                              message: message.text, title: title, actionsAt: message.actionsAt)
        }
    }

    /// A ticket step's links: each person reached gets `ticketActions`.
    static func ticketLinks(_ ticket: Ticket, step: String, policy: String?, recipients: StepRecipients, engine: Engine,
                            now: Instant) -> PlannedLinks {
        var actions: [String: [PlannedAction]] = [:]
        for person in recipients.people {
            actions[person] = ticketActions(for: person, ticket: ticket, policy: policy, engine: engine, now: now)
        }
        return PlannedLinks(subject: .ticket, subjectID: ticket.id, step: step, actions: actions)
    }

    /// What a ticket step's notice offers `person`: 接单 unless acknowledged or later, 已处理 unless
    /// resolved, 不是我的 for its assignee (when there is a supervisor to send it back to).
    public static func ticketActions(for person: String, ticket: Ticket, policy: String?, engine: Engine, now: Instant) -> [PlannedAction] {
        var list: [PlannedAction] = []
        if TicketProgress.reached(.acknowledged, in: ticket, at: now) == nil {
            list.append(PlannedAction(action: .acknowledge, label: LinkAction.acknowledge.label))
        }
        if TicketProgress.reached(.resolved, in: ticket, at: now) == nil {
            list.append(PlannedAction(action: .resolve, label: LinkAction.resolve.label))
        }
        if person == TicketProgress.assignee(of: ticket, engine: engine, at: now),
           TicketProgress.supervisor(of: person, ticket: ticket, policy: policy, engine: engine) != nil {
            list.append(PlannedAction(action: .notMine, label: LinkAction.notMine.label))
        }
        return list
    }

    /// An incident or drill step not yet confirmed: 确认完成, with the step's title.
    static func incidentLinks(_ incident: Incident, step: PlanStepStatus, recipients: StepRecipients) -> PlannedLinks {
        let label = step.title.map { "\(LinkAction.confirm.label)：\($0)" } ?? LinkAction.confirm.label
        var actions: [String: [PlannedAction]] = [:]
        for person in recipients.people {
            actions[person] = step.state == .confirmed ? [] : [PlannedAction(action: .confirm, label: label)]
        }
        return PlannedLinks(subject: .incident, subjectID: incident.id, step: step.name, actions: actions)
    }
}
