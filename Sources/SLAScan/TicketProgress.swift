import SLAEngine

/// How far a ticket's closed loop got since it was last reopened, for the links a notice carries and for
/// the answer to a press: "已由 王强 于 14:05 接单".
public enum TicketProgress {
    /// The first event at or before `now`, since the last reopening, that meets `target` (the same event
    /// or a later state: a resolved ticket has been answered, so 接单 is done; `LifecycleOrder`).
    public static func reached(_ target: EventKind, in ticket: Ticket, at now: Instant) -> TicketEventRecord? {
        var found: TicketEventRecord?
        for event in ticket.events where event.at <= now {
            if event.kind == .reopened {
                found = nil
            } else if found == nil, LifecycleOrder.meets(event.kind, target) {
                found = event
            }
        }
        return found
    }

    /// The supervisor a "not mine" sends the ticket back to: the person's own team's, else the policy's
    /// team's; nil when there is none, or when it is the person themself.
    public static func supervisor(of person: String, ticket: Ticket, policy: String?, engine: Engine) -> String? {
        let policyTeam = engine.rules.policies.first { $0.name == policy }?.team
        guard let supervisor = engine.team(forAssignee: person, policyTeam: policyTeam)?.supervisor, supervisor != person else { return nil }
        return supervisor
    }

    /// The ticket's assignee at `now` (its fields, then its `assigned` events).
    public static func assignee(of ticket: Ticket, engine: Engine, at now: Instant) -> String? {
        engine.fields(of: ticket, at: now).fields.assignee
    }
}
