import SLAEngine

/// What the 看板 (docs/dashboard.md) reads from the store besides the KPIs: open and overdue tickets per
/// policy, the tickets about to run out of time and those that have, and the open incidents. Every list is
/// bounded and carries the total it was cut from, so 1,000,000 tickets cost the same as 100.
public protocol BoardStore: Sendable {
    /// `within`: seconds ahead that count as at risk (3600: due within the hour); `limit`: rows per list.
    func board(now: Instant, within: Int, limit: Int) async throws -> BoardTickets
}

public struct BoardTickets: Sendable {
    /// Per policy (`""`: tickets no policy matches), by policy name.
    public var policies: [PolicyCount] = []
    /// Open tickets with a running clock due in `(now, now + within]`, soonest first.
    public var atRisk: [BoardTicket] = []
    public var atRiskTotal = 0
    /// Open tickets with a clock that ran out and still runs, the longest overdue first.
    public var breached: [BoardTicket] = []
    public var breachedTotal = 0
    /// Incidents and drills not closed, newest first.
    public var incidents: [StoredIncident] = []
    public var incidentsTotal = 0

    public init() {}
}

public struct PolicyCount: Sendable, Hashable {
    public let policy: String
    public let open: Int
    public let overdue: Int

    public init(policy: String, open: Int, overdue: Int) {
        self.policy = policy
        self.open = open
        self.overdue = overdue
    }
}

/// One row of the at-risk or breached list: the ticket's fields at creation, and the clock and deadline
/// that put it there.
public struct BoardTicket: Sendable, Hashable {
    public let id: String
    public let policy: String?
    public let fields: TicketFields
    /// Who has it now (assignments included).
    public let assignee: String?
    public let clock: String
    public let deadline: Instant

    public init(id: String, policy: String?, fields: TicketFields, assignee: String?, clock: String, deadline: Instant) {
        self.id = id
        self.policy = policy
        self.fields = fields
        self.assignee = assignee
        self.clock = clock
        self.deadline = deadline
    }
}

/// The two deadlines the board lists by, from one evaluation: stored with the ticket (`deadline`,
/// `breached_at` and their clocks) whenever it is evaluated.
struct BoardDeadlines {
    /// The soonest deadline of a running clock that has not run out yet.
    var next: (clock: String, at: Instant)?
    /// The earliest deadline of a clock that ran out and has not stopped: the lateness is `now - at`.
    var breached: (clock: String, at: Instant)?

    init(_ evaluation: Evaluation, now: Instant) {
        for clock in evaluation.clocks where !clock.isStopped {
            guard let deadline = clock.deadline else { continue }
            if clock.state == .breached {
                if breached.map({ deadline < $0.at }) ?? true { breached = (clock.name, deadline) }
            } else if clock.state == .running, deadline > now {
                if next.map({ deadline < $0.at }) ?? true { next = (clock.name, deadline) }
            }
        }
    }
}
