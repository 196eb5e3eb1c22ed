extension Checker {
    /// Values in `when` and `covers` conditions must be in their field's set: the declared one
    /// (`fields { … }`; outside it is a warning, since the condition then silently matches nothing),
    /// else the built-in one for `kind`, `grade`, `priority`, `status` and `source` (an error, as before
    /// sets could be declared).
    mutating func checkConditionValues() {
        for (field, value, range) in builder.conditionValues {
            if let set = rules.fieldSets[field] {
                guard !set.contains(value) else { continue }
                let hint = Suggestion.closest(to: value, among: set.candidates).map { "did you mean \($0.display)? If '\(value)' is new, add it" }
                    ?? "the rules declare \(field.rawValue) as \(Suggestion.list(set.values.map(\.name))); if '\(value)' is new, add it"
                builder.diagnostics.warning(.valueOutsideSet, at: range,
                                            "'\(value)' is not a declared \(field.rawValue), so this condition never holds for it",
                                            hint: hint + " to '\(field.rawValue)' in the fields block", related: set.location)
            } else if let allowed = field.allowedValues, !allowed.contains(value) {
                builder.diagnostics.error(.unknownValue, at: range, "'\(value)' is not a \(field.rawValue)",
                                          hint: Suggestion.hint(for: value, in: allowed) ?? "\(field.rawValue) is one of \(Suggestion.list(allowed))")
            }
        }
    }
}
