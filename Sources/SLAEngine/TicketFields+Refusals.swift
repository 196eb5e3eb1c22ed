import SLARules

extension TicketFields {
    /// The fields whose values the rules can refuse (declared sets, and the assignee), as set.
    public var refusableValues: [(field: TicketField, value: String)] {
        [TicketField.category, .grade, .priority, .source, .assignee].compactMap { field in
            value(of: field).map { (field, $0) }
        }
    }
}

extension TicketEventRecord {
    /// The field values an event sets (`assigned` sets the assignee, `regraded` the grade, …), in
    /// field order, for checking against the rules.
    public var refusableValues: [(field: TicketField, value: String)] {
        guard let changes else { return [] }
        return [TicketField.category, .grade, .priority, .source, .assignee].compactMap { field in
            changes[field.rawValue].map { (field, $0) }
        }
    }
}
