import SLAEngine
import SLAStore

/// One entry of a ticket's timeline (docs/openapi.yaml `Ticket`'s `timeline`), told apart by `type`: an event,
/// an escalation, a delivery attempt (or an operator's retry or drop), or a notice not delivered yet.
enum TimelineEntry: Encodable {
    case event(Event)
    case escalation(Escalation)
    case delivery(Delivery)
    case pending(PendingDelivery)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case let .event(entry): try entry.encode(to: encoder)
        case let .escalation(entry): try entry.encode(to: encoder)
        case let .delivery(entry): try entry.encode(to: encoder)
        case let .pending(entry): try entry.encode(to: encoder)
        }
    }

    /// Something that happened to the ticket; the fields it changed (`changes`: `status`, `assignee`,
    /// `grade`, …) are members of the entry itself.
    struct Event: Encodable {
        let type = "event"
        let kind: String
        let at: String
        let actor: String?
        let note: String?
        let via: String?
        let score: Int?
        let changes: [String: String]

        init(_ event: TicketEventRecord, zone: ZoneTable) {
            kind = event.kind.rawValue
            at = zone.format(event.at)
            actor = event.actor
            note = event.note
            via = event.via
            score = event.score
            changes = event.changes ?? [:]
        }

        enum CodingKeys: String, CodingKey { case type, kind, at, actor, note, via, score }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(kind, forKey: .kind)
            try container.encode(at, forKey: .at)
            try container.encodeIfPresent(actor, forKey: .actor)
            try container.encodeIfPresent(note, forKey: .note)
            try container.encodeIfPresent(via, forKey: .via)
            try container.encodeIfPresent(score, forKey: .score)
            // Last, so a change named as one of the members above is what is written (as it always was).
            var changed = encoder.container(keyedBy: AnswerKey.self)
            for (key, value) in changes { try changed.encode(value, forKey: AnswerKey(key)) }
        }
    }

    /// A step that fired: whom it reached, when it was due and fired.
    struct Escalation: Encodable {
        let type = "escalation"
        let policy: String
        let step: String
        let `repeat`: Int
        let cycle: Int
        let at: String
        let due: String
        let people: [String]
        /// Only when it fired more than a minute late.
        let lateSeconds: Int?
        /// Only when some targets reached nobody.
        let unreached: [String]?
        /// The open incident that held it (recorded, nothing sent).
        let heldBy: String?

        init(_ firing: FiringRecord, zone: ZoneTable) {
            policy = firing.firing.policy
            step = firing.firing.step
            `repeat` = firing.firing.repeatIndex
            cycle = firing.firing.cycle
            at = zone.format(firing.firedAt)
            due = zone.format(firing.dueAt)
            people = firing.people
            lateSeconds = firing.lateness > 60 ? firing.lateness : nil
            unreached = firing.unreached.isEmpty ? nil : firing.unreached
            heldBy = firing.heldBy
        }
    }

    /// An attempt to deliver an outbox job, or an operator's retry or drop of it.
    struct Delivery: Encodable {
        let type = "delivery"
        let outbox: Int64
        let channel: String
        let attempt: Int
        let result: String
        let at: String
        let durationMs: Int
        let detail: String?

        init(_ attempt: DeliveryAttemptRecord, zone: ZoneTable) {
            outbox = attempt.outboxID
            channel = attempt.channel
            self.attempt = attempt.attempt
            result = attempt.result
            at = zone.format(attempt.at)
            durationMs = attempt.durationMilliseconds
            detail = attempt.detail
        }
    }

    /// A notice queued and not delivered yet, at the time it was queued: why it waits (`detail`) and
    /// when slad tries or looks again.
    struct PendingDelivery: Encodable {
        let type = "delivery"
        let outbox: Int64
        let channel: String
        let attempt: Int
        let result = "pending"
        let at: String
        let waitingSeconds: Int
        let nextAttempt: String
        let recipients: [String]
        let detail: String?

        init(_ job: OutboxJob, zone: ZoneTable, now: Instant) {
            outbox = job.id
            channel = job.channel
            attempt = job.attempts
            at = zone.format(job.createdAt)
            waitingSeconds = max(0, now - job.createdAt)
            nextAttempt = zone.format(job.nextAttemptAt)
            recipients = API.recipientNames(job)
            detail = job.lastError ?? (job.attempts == 0 ? "not tried yet" : nil)
        }
    }
}
