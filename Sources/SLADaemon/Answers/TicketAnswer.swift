import SLAEngine
import SLAStore

/// A ticket's answer (docs/openapi.yaml `Ticket`: `POST /v1/tickets`, `GET /v1/tickets/{id}`, an event's
/// answer): its summary, and its clocks, pause and timeline.
struct TicketAnswer: Encodable {
    let summary: TicketSummaryAnswer
    let clocks: [ClockAnswer]
    /// Only while the ticket is paused or a `pause while` holds its clocks (`PauseAnswer`).
    let pause: PauseAnswer?
    let timeline: [TimelineEntry]

    init(summary: TicketSummaryAnswer, clocks: [ClockAnswer], pause: PauseAnswer?, timeline: [TimelineEntry]) {
        self.summary = summary
        self.clocks = clocks
        self.pause = pause
        self.timeline = timeline
    }

    /// The ticket with what the store has about it: its escalations (`firings`), delivery attempts and
    /// notices not delivered yet (`pending`), in one timeline ordered by time (events, then escalations,
    /// attempts and notices, at the same second).
    init(_ stored: StoredTicket, engine: Engine, now: Instant, firings: [FiringRecord], attempts: [DeliveryAttemptRecord], pending: [OutboxJob]) {
        let zone = engine.displayZone
        let evaluation = engine.evaluate(stored.ticket, at: now, fired: firings.map(\.firing))
        var timeline: [(Instant, Int, TimelineEntry)] = []
        for (index, event) in stored.ticket.events.enumerated() {
            timeline.append((event.at, index, .event(TimelineEntry.Event(event, zone: zone))))
        }
        for firing in firings {
            timeline.append((firing.firedAt, 1_000_000 + Int(firing.id), .escalation(TimelineEntry.Escalation(firing, zone: zone))))
        }
        for (index, attempt) in attempts.enumerated() {
            timeline.append((attempt.at, 1_000_000_000 + index, .delivery(TimelineEntry.Delivery(attempt, zone: zone))))
        }
        for (index, job) in pending.enumerated() {
            timeline.append((job.createdAt, 2_000_000_000 + index, .pending(TimelineEntry.PendingDelivery(job, zone: zone, now: now))))
        }
        self.init(summary: TicketSummaryAnswer(stored, engine: engine, now: now),
                  clocks: evaluation.clocks.map { ClockAnswer($0, zone: zone, now: now) },
                  pause: PauseAnswer(stored.ticket, evaluation: evaluation, engine: engine, now: now),
                  timeline: timeline.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2))
    }

    enum CodingKeys: String, CodingKey { case clocks, pause, timeline }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clocks, forKey: .clocks)
        try container.encodeIfPresent(pause, forKey: .pause)
        try container.encode(timeline, forKey: .timeline)
    }
}

/// A ticket in a list (docs/openapi.yaml `TicketSummary`): its fields, flattened, and where it stands.
struct TicketSummaryAnswer: Encodable {
    let fields: TicketFieldsAnswer
    let id: String
    let status: String
    let policy: Nullable<String>
    let overdue: Bool
    let created: String
    let nextDue: Nullable<String>
    let incident: String?
    let repeatOf: String?

    init(_ stored: StoredTicket, engine: Engine, now: Instant) {
        let zone = engine.displayZone
        fields = TicketFieldsAnswer(engine.fields(of: stored.ticket, at: now).fields)
        id = stored.ticket.id
        status = stored.status
        policy = Nullable(stored.policy)
        overdue = stored.overdue
        created = zone.format(stored.ticket.createdAt)
        nextDue = Nullable(stored.nextDue.map { zone.format($0) })
        incident = stored.incidentID
        repeatOf = stored.ticket.repeatOf
    }

    enum CodingKeys: String, CodingKey { case id, status, policy, overdue, created, nextDue, incident, repeatOf }

    func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(policy, forKey: .policy)
        try container.encode(overdue, forKey: .overdue)
        try container.encode(created, forKey: .created)
        try container.encode(nextDue, forKey: .nextDue)
        try container.encodeIfPresent(incident, forKey: .incident)
        try container.encodeIfPresent(repeatOf, forKey: .repeatOf)
    }
}

/// A ticket's fields as they stand (after the events that changed them), each only when it has a value;
/// `tags` only when there are some. Members of the ticket's object itself, not an object of their own.
/// Every `TicketField` but `status` (which is the ticket's, above) is here: TypedAnswerTests checks.
struct TicketFieldsAnswer: Encodable {
    let kind: String
    let category: String?
    let grade: String?
    let priority: String?
    let site: String?
    let building: String?
    let unit: String?
    let source: String?
    let reporter: String?
    let assignee: String?
    let tags: [String]?
    let text: String?

    init(_ fields: TicketFields) {
        kind = fields.kind
        category = fields.category
        grade = fields.grade
        priority = fields.priority
        site = fields.site
        building = fields.building
        unit = fields.unit
        source = fields.source
        reporter = fields.reporter
        assignee = fields.assignee
        tags = fields.tags.isEmpty ? nil : fields.tags
        text = fields.text
    }
}

/// `GET /v1/tickets`: `{"tickets": [TicketSummary]}`.
struct TicketListAnswer: Encodable {
    let tickets: [TicketSummaryAnswer]
}

/// One of a ticket's clocks (docs/openapi.yaml `Ticket`'s `clocks`).
struct ClockAnswer: Encodable {
    let name: String
    let title: Nullable<String>
    let state: String
    let deadline: Nullable<String>
    let secondsLeft: Nullable<Int>
    let budgetSeconds: Int
    let usedSeconds: Int
    let workingTime: Bool

    init(_ clock: ClockStatus, zone: ZoneTable, now: Instant) {
        name = clock.name
        title = Nullable(clock.title)
        state = clock.state.rawValue
        deadline = Nullable(clock.deadline.map { zone.format($0) })
        secondsLeft = Nullable(clock.wallRemaining(at: now))
        budgetSeconds = clock.budget
        usedSeconds = clock.consumed
        workingTime = clock.countsWorkingTime
    }
}
