import SLAEngine
import SLARules

/// The incident half of the escalation contract (`EscalationStore`): what every store, the in-memory one
/// included, implements. Every write runs in one transaction, like the ticket side.
public protocol IncidentCore: Sendable {
    /// Declares an incident: stores it, links the open tickets its plan covers, and makes it due now so
    /// that the next scan tells each step's owner. Refused when the id is taken.
    func openIncident(_ incident: Incident, actor: String?, engine: Engine, now: Instant) async throws -> StoredIncident
    func incident(_ id: String) async throws -> StoredIncident?
    /// Confirms a step, raises the level or closes the incident, after checking that the incident
    /// allows it. When a confirmation leaves no step unconfirmed, the incident closes by itself.
    func append(_ event: IncidentEvent, toIncident id: String, engine: Engine, now: Instant) async throws -> StoredIncident
    /// The earliest next-due instant of any open incident.
    func earliestIncidentDue() async throws -> Instant?
}

/// Incidents (emergency plans running for real or as drills) in the durable store, with the lists and
/// reports' reads besides the contract's core.
public protocol IncidentStore: IncidentCore {
    func incidents(_ filter: IncidentFilter) async throws -> [StoredIncident]
    /// The notifications sent for an incident, oldest first, with when each was delivered.
    func incidentDeliveries(_ id: String) async throws -> [IncidentDelivery]
}

public struct StoredIncident: Sendable {
    public let incident: Incident
    public let status: String
    public let level: IncidentLevel
    /// The ticket whose report declared it, when a plan's `when` matched.
    public let originTicket: String?
    public let nextDue: Instant?
    /// The tickets it explains: their own escalations are held while it is open.
    public let linkedTickets: [String]

    public var isOpen: Bool { status == "open" }
}

public struct IncidentFilter: Sendable {
    public var plan: String?
    public var status: String?
    public var drill: Bool?
    public var limit: Int

    public init(plan: String? = nil, status: String? = nil, drill: Bool? = nil, limit: Int = 100) {
        self.plan = plan
        self.status = status
        self.drill = drill
        self.limit = limit
    }
}

/// One notification of an incident, as the outbox holds it.
public struct IncidentDelivery: Sendable, Hashable {
    /// `assigned` or `overdue`.
    public let kind: String
    public let step: String
    public let channel: String
    public let recipients: [String]
    public let queuedAt: Instant
    public let state: String
    public let deliveredAt: Instant?
    public let attempts: Int
    /// Why it has not gone out (or what the last attempt said).
    public var lastError: String?
}
