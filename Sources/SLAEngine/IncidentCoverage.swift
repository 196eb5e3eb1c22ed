import SLARules

/// Which plan a new ticket declares, and which tickets an open incident explains (inhibition).
extension Engine {
    /// The first plan whose `when` matches the ticket as it stands at `instant`: the ticket opens an
    /// incident of that plan automatically (a resident reporting people trapped in an elevator).
    public func planTriggered(by ticket: Ticket, at instant: Instant) -> Plan? {
        let (fields, status) = fields(of: ticket, at: instant)
        return rules.plans.first { plan in
            plan.trigger.map { FieldMatcher.matches($0, fields: fields, status: status) } ?? false
        }
    }

    /// Whether an incident explains a ticket: the ticket matches the plan's `covers` condition and is at
    /// the incident's site (and, for `in same building`, in its building). A plan without `covers`
    /// explains no ticket; an incident that names no site reaches every site.
    public func covers(_ incident: Incident, _ ticket: Ticket, at instant: Instant) -> Bool {
        guard let plan = rules.plans.first(where: { $0.name == incident.plan }), let condition = plan.covers else { return false }
        let (fields, status) = fields(of: ticket, at: instant)
        if let site = incident.site, fields.site != site { return false }
        if plan.coverScope == .building, let building = incident.building, fields.building != building { return false }
        return FieldMatcher.matches(condition, fields: fields, status: status)
    }

    /// Whether an incident is open at `instant`: declared by then, not closed and not every step confirmed.
    public func isOpen(_ incident: Incident, at instant: Instant) -> Bool {
        incident.openedAt <= instant && evaluate(incident, at: instant).map { !$0.isClosed } ?? false
    }

    /// The incident that explains a ticket at `instant`, among `incidents` in the order they were declared:
    /// the first real (not drill) incident open then that covers it. The store links a ticket to it when
    /// either arrives, and the rule tests do the same on virtual time.
    public func explainingIncident(for ticket: Ticket, among incidents: [Incident], at instant: Instant) -> Incident? {
        incidents.first { !$0.isDrill && isOpen($0, at: instant) && covers($0, ticket, at: instant) }
    }

    /// The channels a notice goes out on: a drill's go to the plan's `drill via` channels when it has any.
    public func channels(for incident: Incident, default channels: [String]) -> [String] {
        guard incident.isDrill, let plan = rules.plans.first(where: { $0.name == incident.plan }), !plan.drillChannels.isEmpty else {
            return channels
        }
        return plan.drillChannels
    }
}
