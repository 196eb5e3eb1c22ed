import SLAEngine
import SLAStore

/// An incident or drill (docs/openapi.yaml `Incident`): where it stands, its plan's steps and its events.
struct IncidentAnswer: Encodable {
    let id: String
    let plan: String
    /// The plan's title (null when it has none, or the plan is no longer in the rules).
    let title: Nullable<String>
    let drill: Bool
    let status: String
    let level: String
    let opened: String
    let site: Nullable<String>
    let building: Nullable<String>
    let tickets: [String]
    let nextDue: Nullable<String>
    /// Only when a ticket's escalation opened it.
    let originTicket: String?
    /// Only while the rules have its plan.
    let steps: [Step]?
    let events: [Event]

    /// `deliveries`: the incident's notices so far; each step shows whom its assignment reached.
    init(_ stored: StoredIncident, engine: Engine, now: Instant, deliveries: [IncidentDelivery]) {
        let zone = engine.displayZone
        let incident = stored.incident
        id = incident.id
        plan = incident.plan
        title = Nullable(engine.rules.plans.first { $0.name == incident.plan }?.title)
        drill = incident.isDrill
        status = stored.status
        level = stored.level.rawValue
        opened = zone.format(incident.openedAt)
        site = Nullable(incident.site)
        building = Nullable(incident.building)
        tickets = stored.linkedTickets
        nextDue = Nullable(stored.nextDue.map { zone.format($0) })
        originTicket = stored.originTicket
        steps = engine.evaluate(incident, at: now)?.steps.map { step in
            var reached: [String] = []
            for delivery in deliveries where delivery.kind == "assigned" && delivery.step == step.name {
                for person in delivery.recipients where !reached.contains(person) { reached.append(person) }
            }
            return Step(step, zone: zone, notified: reached)
        }
        events = incident.events.map { Event($0, zone: zone) }
    }

    /// One step of the plan: its deadline, and who confirmed it, when and how.
    struct Step: Encodable {
        let name: String
        let title: Nullable<String>
        let state: String
        let since: String
        let deadline: String
        let confirmedAt: String?
        let confirmedBy: String?
        let confirmedVia: String?
        let owner: String?
        let note: String?
        let marginSeconds: Int?
        /// Whom its assignment reached; only when it reached someone.
        let notified: [String]?

        init(_ step: PlanStepStatus, zone: ZoneTable, notified: [String]) {
            name = step.name
            title = Nullable(step.title)
            state = step.state.rawValue
            since = zone.format(step.since)
            deadline = zone.format(step.deadline)
            confirmedAt = step.confirmedAt.map { zone.format($0) }
            confirmedBy = step.confirmedBy
            confirmedVia = step.confirmedVia
            owner = step.owner
            note = step.note
            marginSeconds = step.margin
            self.notified = notified.isEmpty ? nil : notified
        }
    }

    /// Something that happened to the incident (`by`: who).
    struct Event: Encodable {
        let kind: String
        let at: String
        let by: String?
        let level: String?
        let step: String?
        let note: String?
        let via: String?
        let owner: String?

        init(_ event: IncidentEvent, zone: ZoneTable) {
            kind = event.kind.rawValue
            at = zone.format(event.at)
            by = event.actor
            level = event.level?.rawValue
            step = event.step
            note = event.note
            via = event.via
            owner = event.owner
        }
    }
}

/// `GET /v1/incidents`: `{"incidents": [Incident]}`.
struct IncidentListAnswer: Encodable {
    let incidents: [IncidentAnswer]
}
