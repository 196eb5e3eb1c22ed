/// A condition over a ticket's fields: `kind = complaint and grade in [A, B]`.
public indirect enum MatchExpression: Sendable, Hashable {
    /// Matches every ticket (a policy with no `when`).
    case always
    /// `field = value`, `field != value`, `field in [a, b]`; for `tags`, "the ticket has this tag".
    case comparison(field: TicketField, isNegated: Bool, values: [String])
    case and(MatchExpression, MatchExpression)
    case or(MatchExpression, MatchExpression)
    case not(MatchExpression)
    /// `text contains any ["漏水", "渗水"]` (routes only): the ticket's free text, in `TextNormalizer`'s normal
    /// form, holds one of the keywords (kept normalised too, so full-width characters and spaces do not matter).
    case textContains(keywords: [String])

    /// Evaluates the condition against a ticket's field values (`tags` holds every tag); `text` is the
    /// ticket's free text already normalised (`TextNormalizer.normalize`).
    public func matches(_ fields: [TicketField: [String]], text: String = "") -> Bool {
        switch self {
        case .always:
            return true
        case let .comparison(field, isNegated, values):
            let present = fields[field] ?? []
            let hit = present.contains { values.contains($0) }
            return hit != isNegated
        case let .and(left, right):
            return left.matches(fields, text: text) && right.matches(fields, text: text)
        case let .or(left, right):
            return left.matches(fields, text: text) || right.matches(fields, text: text)
        case let .not(inner):
            return !inner.matches(fields, text: text)
        case let .textContains(keywords):
            return keywords.contains { text.contains($0) }
        }
    }
}

/// The ticket fields a match expression may test.
public enum TicketField: String, Sendable, Hashable, CaseIterable {
    case kind, category, grade, priority, site, building, unit, tags, status, source, reporter, assignee

    private static let kinds = TicketKind.allCases.map(\.rawValue)

    /// The values the field can take, when the set is closed; nil for free-form fields.
    public var allowedValues: [String]? {
        switch self {
        case .kind: Self.kinds
        case .grade: ["A", "B", "C"]
        case .priority: ["urgent", "regular"]
        case .status: ["open", "assigned", "acknowledged", "waiting-customer", "waiting-parts", "paused", "resolved", "closed"]
        case .source: ["hotline", "app", "wechat", "walk-in", "12345", "patrol"]
        default: nil
        }
    }
}

public enum TicketKind: String, Sendable, Hashable, CaseIterable {
    case complaint, repair, enquiry, suggestion, incident
}

/// The ticket events that start and stop clocks and end repeats.
public enum TicketEvent: String, Sendable, Hashable, CaseIterable, Codable {
    case created, assigned, acknowledged, assessed, resolved, revisited, closed, reopened
}
