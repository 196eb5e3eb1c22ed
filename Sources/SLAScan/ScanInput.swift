import SLAEngine

/// What a store read for one scan, in its write transaction: the due incidents and tickets with the
/// firings recorded for each so far, and the incidents open at the read. Nothing here refers to a row id
/// or a table: every store (SQLite, memory, PostgreSQL) fills it the same way.
public struct ScanInput: Sendable {
    /// Incidents whose next-due instant has come, oldest due first.
    public var incidents: [DueIncident]
    /// Tickets whose next-due instant has come, oldest due first.
    public var tickets: [DueTicket]
    /// The incidents open when the store read, before this scan looked at any incident.
    public var openIncidents: Set<String>
    /// Whether the store mints action links: with it, each firing carries the actions its people get.
    public var withLinks: Bool

    public init(incidents: [DueIncident], tickets: [DueTicket], openIncidents: Set<String>, withLinks: Bool) {
        self.incidents = incidents
        self.tickets = tickets
        self.openIncidents = openIncidents
        self.withLinks = withLinks
    }
}

/// One due ticket as stored.
public struct DueTicket: Sendable {
    public let ticket: Ticket
    /// The stored `overdue` flag: whether a running clock had run out when the ticket was last evaluated.
    public let wasOverdue: Bool
    /// The incident the ticket is linked to; while it is open, the ticket's escalations are held.
    public let incidentID: String?
    /// Its firings recorded so far (held ones included).
    public let fired: [Firing]

    public init(ticket: Ticket, wasOverdue: Bool, incidentID: String?, fired: [Firing]) {
        self.ticket = ticket
        self.wasOverdue = wasOverdue
        self.incidentID = incidentID
        self.fired = fired
    }
}

/// One due incident (or drill) as stored.
public struct DueIncident: Sendable {
    public let incident: Incident
    public let fired: [Firing]

    public init(incident: Incident, fired: [Firing]) {
        self.incident = incident
        self.fired = fired
    }
}
