/// What makes a new ticket a repeat of a closed one (`repeats { within … }`): the same site, building and
/// unit, the same kind and category. A missing building, unit or category equals only a missing one; a
/// ticket without a site is never a repeat.
public struct RepeatKey: Hashable, Sendable {
    public let site: String
    public let building: String?
    public let unit: String?
    public let kind: String
    public let category: String?

    public init(site: String, building: String?, unit: String?, kind: String, category: String?) {
        self.site = site
        self.building = building
        self.unit = unit
        self.kind = kind
        self.category = category
    }

    /// A new ticket's key, from the fields it is opened with; nil without a site.
    public init?(opening fields: TicketFields) {
        guard let site = fields.site, !site.isEmpty else { return nil }
        self.init(site: site, building: fields.building, unit: fields.unit, kind: fields.kind, category: fields.category)
    }

    /// One text for an index column: each part `=value`, or `!` when missing, separated by U+001F, so that
    /// a missing part never equals an empty one.
    public var text: String {
        [site, building, unit, kind, category].map { $0.map { "=" + $0 } ?? "!" }.joined(separator: "\u{1F}")
    }

    /// A spell of a ticket being closed: from `closedAt` until it was reopened (nil: still closed), with
    /// its key as it was closed (kind and category after the `regraded` events before the close).
    public struct Closure: Sendable, Hashable {
        public let key: RepeatKey
        public let closedAt: Instant
        public let reopenedAt: Instant?
    }

    /// Every spell of `ticket` being closed, in order, from its history up to `instant`.
    public static func closures(of ticket: Ticket, until instant: Instant? = nil) -> [Closure] {
        guard let opening = RepeatKey(opening: ticket.fields) else { return [] }
        var kind = opening.kind
        var category = opening.category
        var spells: [Closure] = []
        var open: (key: RepeatKey, at: Instant)?
        for event in ticket.events {
            if let instant, event.at > instant { break }
            switch event.kind {
            case .regraded:
                if let value = event.changes?["kind"], !value.isEmpty { kind = value }
                if let value = event.changes?["category"] { category = value.isEmpty ? nil : value }
            case .closed where open == nil:
                open = (RepeatKey(site: opening.site, building: opening.building, unit: opening.unit, kind: kind, category: category), event.at)
            case .reopened:
                if let spell = open { spells.append(Closure(key: spell.key, closedAt: spell.at, reopenedAt: event.at)) }
                open = nil
            default:
                break
            }
        }
        if let spell = open { spells.append(Closure(key: spell.key, closedAt: spell.at, reopenedAt: nil)) }
        return spells
    }

    /// The key and close instant of `ticket` when it is closed at `instant`; nil when it is not.
    public static func closed(_ ticket: Ticket, at instant: Instant) -> Closure? {
        closures(of: ticket, until: instant).last.flatMap { $0.reopenedAt == nil ? $0 : nil }
    }
}
