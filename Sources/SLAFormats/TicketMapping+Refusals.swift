import SLARules

extension TicketMapping {
    /// The field values that `map` and `default` lines set and the rules would refuse: outside a set the
    /// rules declare (`fields`), else outside the built-in sets of grade, priority and source. Every
    /// ticket those lines make would carry the value, so these are errors, at the line's kind.
    public func refusals(rules: RuleSet) -> [Failure] {
        (categories + [defaultRule].compactMap { $0 }).flatMap { rule in
            rule.fields.sorted { $0.key.rawValue < $1.key.rawValue }.compactMap { field, value -> Failure? in
                if let refusal = rules.refusals([(field, value)]).first {
                    return Failure(line: rule.line, column: rule.column, message: refusal.message)
                }
                guard rules.fieldSets[field] == nil, let allowed = field.allowedValues, !allowed.contains(value) else { return nil }
                return Failure(line: rule.line, column: rule.column,
                               message: "'\(value)' is not a \(field.rawValue); expected one of \(allowed.joined(separator: ", "))")
            }
        }.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }
}
