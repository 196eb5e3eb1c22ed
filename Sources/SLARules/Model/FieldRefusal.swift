/// A ticket field value the rules do not allow: outside the field's declared set (`fields { … }`), or
/// an assignee who is not a person in the rules. The HTTP API answers these with 422, so `slad ticket`
/// and `slad import` (which go through it) refuse them too.
public struct FieldRefusal: Sendable, Hashable {
    public let field: TicketField
    public let value: String
    /// The value probably meant, with its title: `liu-yang (刘洋)` for 刘洋.
    public let suggestion: NamedCandidate?
    /// The allowed values, for a message when nothing is close.
    public let allowed: [String]

    /// `'刘洋' is not a person in the rules`
    public var reason: String {
        "'\(value)' is not \(field == .assignee ? "a person in the rules" : "a \(field.rawValue) the rules declare")"
    }

    /// `did you mean liu-yang (刘洋)?`, else the allowed values (the first dozen).
    public var hint: String {
        if let suggestion { return "did you mean \(suggestion.display)?" }
        guard allowed.count > 12 else { return "expected one of \(allowed.joined(separator: ", "))" }
        return "expected one of \(allowed.prefix(12).joined(separator: ", ")), … (\(allowed.count) in all)"
    }

    /// `'刘洋' is not a person in the rules; did you mean liu-yang (刘洋)?`
    public var message: String { "\(reason); \(hint)" }
}

extension RuleSet {
    /// The values among `values` the rules refuse, in the order given. A field with no declared set
    /// accepts anything; `assignee` must name a person when the rules define any people.
    public func refusals(_ values: [(field: TicketField, value: String)]) -> [FieldRefusal] {
        values.compactMap { field, value in
            let candidates: [NamedCandidate]
            if field == .assignee {
                guard !people.isEmpty, people[value] == nil else { return nil }
                candidates = people.values.map { NamedCandidate(name: $0.name, title: $0.displayName) }.sorted { $0.name < $1.name }
            } else {
                guard let set = fieldSets[field], !set.contains(value) else { return nil }
                candidates = set.candidates
            }
            return FieldRefusal(field: field, value: value, suggestion: Suggestion.closest(to: value, among: candidates),
                                allowed: candidates.map(\.name))
        }
    }
}
