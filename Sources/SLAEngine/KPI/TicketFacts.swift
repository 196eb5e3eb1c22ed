import SLARules

/// What the KPIs need to know about one ticket, taken once from its history and its evaluation: the
/// only input of the KPI arithmetic (`KPICalculator`), so the daemon, `slad report --tickets` and the
/// rule tests count the same way. Small and flat, so a month of a million tickets fits in memory.
public struct TicketFacts: Sendable, Hashable {
    public let id: String
    public let fields: TicketFields
    public let policy: String?
    /// The matched policy's team (for `by team` and a notice's manager).
    public let team: String?
    public let createdAt: Instant
    /// `open`, `resolved`, `closed`, … as derived from the history at the evaluation.
    public let status: String
    /// The first `resolved` of the last cycle; nil while unresolved.
    public let resolvedAt: Instant?
    public let closedAt: Instant?
    /// The last return visit and its satisfaction score (1–5), when one was recorded.
    public let revisitedAt: Instant?
    public let score: Int?
    /// The earlier ticket this one repeats (`repeats { within … }`), marked at creation.
    public let repeatOf: String?
    public let clocks: [ClockFact]
    /// The site, team and assignee as keys of a `KPIGroupIndex` (`KPIGroupIndex.interned`); `unset` otherwise.
    public internal(set) var groupKeys = KPIGroupKeys.unset

    public init(id: String, fields: TicketFields, policy: String?, team: String?, createdAt: Instant, status: String,
                resolvedAt: Instant? = nil, closedAt: Instant? = nil, revisitedAt: Instant? = nil, score: Int? = nil,
                repeatOf: String? = nil, clocks: [ClockFact] = []) {
        self.id = id
        self.fields = fields
        self.policy = policy
        self.team = team
        self.createdAt = createdAt
        self.status = status
        self.resolvedAt = resolvedAt
        self.closedAt = closedAt
        self.revisitedAt = revisitedAt
        self.score = score
        self.repeatOf = repeatOf
        self.clocks = clocks
    }

    public var isOpen: Bool { status != "closed" && status != "resolved" }
    public func clock(_ name: String) -> ClockFact? { clocks.first { $0.name == name } }
}

/// One clock of one ticket, as the KPIs see it.
public struct ClockFact: Sendable, Hashable {
    public let name: String
    public let state: ClockState
    public let startedAt: Instant?
    public let stoppedAt: Instant?
    public let deadline: Instant?
    /// Seconds of the clock's own measure used (wall or working time), at the stop or at the evaluation.
    public let consumed: Int
    public let countsWorkingTime: Bool

    public init(name: String, state: ClockState, startedAt: Instant?, stoppedAt: Instant?, deadline: Instant?, consumed: Int,
                countsWorkingTime: Bool) {
        self.name = name
        self.state = state
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.deadline = deadline
        self.consumed = consumed
        self.countsWorkingTime = countsWorkingTime
    }

    public init(_ status: ClockStatus) {
        self.init(name: status.name, state: status.state, startedAt: status.startedAt, stoppedAt: status.stoppedAt,
                  deadline: status.deadline, consumed: status.consumed, countsWorkingTime: status.countsWorkingTime)
    }
}
