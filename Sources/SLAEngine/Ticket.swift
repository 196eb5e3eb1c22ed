import SLARules

/// A ticket as the engine sees it: its fields when it was opened, and an append-only history.
/// Fields that change later (assignment, regrading, pauses) change through events, so that the state
/// at any instant can be replayed.
public struct Ticket: Sendable, Hashable, Codable {
    public var id: String
    public var fields: TicketFields
    /// In the order they happened; `appending` keeps it sorted by instant.
    public private(set) var events: [TicketEventRecord]
    /// The earlier ticket this one repeats (same site, building, unit, kind and category, closed at most
    /// `repeats { within … }` before this one was created); marked when it is created.
    public var repeatOf: String?

    public init(id: String, fields: TicketFields, createdAt: Instant, createdBy: String? = nil) {
        self.id = id
        self.fields = fields
        events = [TicketEventRecord(kind: .created, at: createdAt, actor: createdBy)]
    }

    public init(id: String, fields: TicketFields, events: [TicketEventRecord]) {
        self.id = id
        self.fields = fields
        // Already in order, as histories usually are: keep the array (sorting costs three allocations).
        if zip(events, events.dropFirst()).allSatisfy({ $0.at <= $1.at }) {
            self.events = events
        } else {
            self.events = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        }
    }

    public var createdAt: Instant { events.first(where: { $0.kind == .created })?.at ?? events.first?.at ?? Instant(seconds: 0) }

    /// Appends an event; one earlier than the last is placed after the events at or before its instant.
    public mutating func append(_ event: TicketEventRecord) {
        if let last = events.last, event.at < last.at {
            let index = events.firstIndex { $0.at > event.at } ?? events.count
            events.insert(event, at: index)
        } else {
            events.append(event)
        }
    }

    public func appending(_ event: TicketEventRecord) -> Ticket {
        var copy = self
        copy.append(event)
        return copy
    }
}

/// The fields of a ticket that policies match on, plus free text.
public struct TicketFields: Sendable, Hashable, Codable {
    public var kind: String
    public var category: String?
    public var grade: String?
    public var priority: String?
    public var site: String?
    public var building: String?
    public var unit: String?
    public var reporter: String?
    public var assignee: String?
    public var source: String?
    public var tags: [String]
    public var text: String?

    public init(kind: String, category: String? = nil, grade: String? = nil, priority: String? = nil,
                site: String? = nil, building: String? = nil, unit: String? = nil, reporter: String? = nil,
                assignee: String? = nil, source: String? = nil, tags: [String] = [], text: String? = nil) {
        self.kind = kind
        self.category = category
        self.grade = grade
        self.priority = priority
        self.site = site
        self.building = building
        self.unit = unit
        self.reporter = reporter
        self.assignee = assignee
        self.source = source
        self.tags = tags
        self.text = text
    }

    /// The value of a matchable field (nil when unset); `tags` and `status` are handled by the caller.
    public func value(of field: TicketField) -> String? {
        switch field {
        case .kind: kind
        case .category: category
        case .grade: grade
        case .priority: priority
        case .site: site
        case .building: building
        case .unit: unit
        case .reporter: reporter
        case .assignee: assignee
        case .source: source
        case .tags, .status: nil
        }
    }

    /// Sets a field by its rule-language name; false when the field cannot be changed this way.
    public mutating func set(_ field: TicketField, to value: String?) -> Bool {
        switch field {
        case .kind: guard let value else { return false }; kind = value
        case .category: category = value
        case .grade: grade = value
        case .priority: priority = value
        case .site: site = value
        case .building: building = value
        case .unit: unit = value
        case .reporter: reporter = value
        case .assignee: assignee = value
        case .source: source = value
        case .tags: tags = value.map { $0.split(separator: ",").map(String.init) } ?? []
        case .status: return false
        }
        return true
    }

    public var matchFields: [TicketField: [String]] {
        var result: [TicketField: [String]] = [:]
        for field in TicketField.allCases {
            if let value = value(of: field) { result[field] = [value] }
        }
        result[.tags] = tags
        return result
    }
}

/// One entry of a ticket's history.
public struct TicketEventRecord: Sendable, Hashable, Codable {
    public var kind: EventKind
    public var at: Instant
    public var actor: String?
    public var note: String?
    /// For `assigned` the new assignee (`assignee`); for `regraded` the changed fields (`grade`, `priority`,
    /// `category`, `kind`); for `paused` the reason as a status (`waiting-customer`, `waiting-parts`).
    public var changes: [String: String]?
    /// How it was done when not through the API or the CLI: `link` for an action link's button (issue 13).
    public var via: String?
    /// For `revisited`: the owner's satisfaction, 1–5 (the comment is `note`).
    public var score: Int?

    public init(kind: EventKind, at: Instant, actor: String? = nil, note: String? = nil, changes: [String: String]? = nil,
                via: String? = nil, score: Int? = nil) {
        self.kind = kind
        self.at = at
        self.actor = actor
        self.note = note
        self.changes = changes
        self.via = via
        self.score = score
    }
}

/// What can happen to a ticket.
public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
    case created, assigned, acknowledged, assessed, paused, resumed, resolved, revisited, closed, reopened,
         regraded, comment

    /// The rule language's name for the event, when clocks and repeats can refer to it.
    public var ruleEvent: TicketEvent? {
        // A switch rather than `TicketEvent(rawValue:)`: the engine asks this for every event it replays,
        // and matching the raw string costs more than the rest of the replay.
        switch self {
        case .created: .created
        case .assigned: .assigned
        case .acknowledged: .acknowledged
        case .assessed: .assessed
        case .resolved: .resolved
        case .revisited: .revisited
        case .closed: .closed
        case .reopened: .reopened
        case .paused, .resumed, .regraded, .comment: nil
        }
    }

    /// The event kind of a rule-language event (every `TicketEvent` is an `EventKind`).
    init(_ event: TicketEvent) {
        switch event {
        case .created: self = .created
        case .assigned: self = .assigned
        case .acknowledged: self = .acknowledged
        case .assessed: self = .assessed
        case .resolved: self = .resolved
        case .revisited: self = .revisited
        case .closed: self = .closed
        case .reopened: self = .reopened
        }
    }
}

/// Ticket statuses as derived from the history (the values `status` takes in match expressions).
public enum TicketStatus {
    /// Statuses that a `paused` event may set; they stop the clocks when the policy's `pause while` allows.
    public static let pauseStatuses: Set<String> = ["waiting-customer", "waiting-parts", "paused"]

    /// Whether `status` is one of `pauseStatuses`, without hashing (the engine asks for every event it replays).
    @inline(__always)
    public static func isPauseStatus(_ status: String) -> Bool {
        status == "waiting-customer" || status == "waiting-parts" || status == "paused"
    }
}
