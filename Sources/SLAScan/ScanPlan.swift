import SLAActions
import SLAEngine

/// The writes one scan decided, in the order a store applies them in its one transaction: the incidents'
/// firings and states first, then the tickets'. A firing is written only when its natural key (subject,
/// id, policy, step, cycle, repeat) is new — the store's unique key decides that, not the plan — and its
/// outbox jobs only with it; a firing refused as a duplicate writes nothing more (a scan repeated after a
/// crash, or a second scanner). The next-due instants are written whatever happened to the firings.
public struct ScanPlan: Sendable {
    public var incidents: [IncidentOutcome] = []
    public var tickets: [TicketOutcome] = []

    public init() {}

    /// Tickets whose running clock ran out since they were last evaluated.
    public var breaches: Int { tickets.count(where: \.isBreach) }
}

/// A due ticket after the scan: its new state and the firings it asks for.
public struct TicketOutcome: Sendable {
    public let ticket: Ticket
    public let evaluation: Evaluation
    /// Due steps in the engine's order: to send, or held by an open incident.
    public let firings: [PlannedFiring]
    /// A running clock has run out (the stored `overdue` flag).
    public let isOverdue: Bool
    /// It was not overdue before this scan and is now: one breach.
    public let isBreach: Bool
    /// The next-due instant to store (nil: nothing left to do for it).
    public var nextDue: Instant? { evaluation.nextDue }
}

/// A due incident after the scan.
public enum IncidentOutcome: Sendable {
    /// Evaluated: its notices to send and its new state (level, open or closed, next due).
    case evaluated(Incident, IncidentEvaluation, firings: [PlannedFiring])
    /// Its plan left the rules: nothing can be evaluated until it comes back; it is due no more.
    case planGone(id: String)
}

/// One firing to record, with the outbox jobs that go with it.
public struct PlannedFiring: Sendable, Hashable {
    public let subject: FiringSubject
    /// The ticket's or the incident's id.
    public let subjectID: String
    public let firing: Firing
    public let dueAt: Instant
    /// Seconds between `dueAt` and the scan.
    public let lateness: Int
    /// Repeats folded into this firing.
    public let missed: Int
    /// Everyone reached (empty when held).
    public let people: [String]
    /// What could not be reached, as stored (a held firing: "held by incident ID").
    public let unreached: [String]
    /// The open incident that held it: recorded so that it never fires later, nothing sent.
    public let heldBy: String?
    /// One per channel that reaches someone (or needs no address); none when held.
    public let jobs: [PlannedJob]
    /// The action links its jobs carry, when the store mints links.
    public let links: PlannedLinks?

    public var isHeld: Bool { heldBy != nil }
}

/// One outbox job of a firing.
public struct PlannedJob: Sendable, Hashable {
    public let channel: String
    /// The channel's kind (`ChannelKind`'s raw value), as stored.
    public let kind: String
    public let recipients: [PlannedRecipient]
    public let message: String
    /// The template's title, when it has one.
    public let title: String?
    /// Where the action links go in `message` (a UTF-8 offset; nil: at the end).
    public let actionsAt: Int?
}

public struct PlannedRecipient: Sendable, Hashable {
    public let person: String
    public let name: String?
    public let address: String?
}

/// What a firing's action links are about, and per person reached the actions that make sense for them
/// now. The store mints them (a random nonce, a signature) and records them with each job.
public struct PlannedLinks: Sendable, Hashable {
    public let subject: LinkClaim.Subject
    public let subjectID: String
    /// The escalation step (a ticket) or the plan step (an incident).
    public let step: String
    public let actions: [String: [PlannedAction]]

    public func actions(for person: String) -> [PlannedAction] { actions[person] ?? [] }
}

public struct PlannedAction: Sendable, Hashable {
    public let action: LinkAction
    public let label: String
}
