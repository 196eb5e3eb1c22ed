import SLAEngine
import SLARules

extension SimulationInput {
    /// How many distinct refused values of one field are listed before the rest are summed up.
    static let refusedValuesShown = 5

    /// Values in the history that the rules would refuse at the door (outside a declared set, or an
    /// assignee who is no person): per field, a line for each of the first few distinct values with how
    /// many tickets carry it, then one line summing up the rest. `slad simulate` prints them as warnings
    /// and replays the tickets as they are: history happened, and dropping it would hide what the rules
    /// did to it.
    public func refusedValueWarnings(rules: RuleSet, source: String) -> [String] {
        struct Key: Hashable { let field: TicketField; let value: String }
        var lines: [Key: [Int]] = [:]
        var order: [Key] = []
        for (ticket, line) in tickets {
            for (field, value) in ticket.fields.refusableValues + ticket.events.flatMap(\.refusableValues) {
                let key = Key(field: field, value: value)
                if let seen = lines[key] {
                    if !seen.isEmpty, seen.last != line { lines[key]!.append(line) }
                } else if rules.refusals([(field, value)]).isEmpty {
                    lines[key] = []
                } else {
                    lines[key] = [line]
                    order.append(key)
                }
            }
        }
        var warnings: [String] = []
        for field in TicketField.allCases {
            let keys = order.filter { $0.field == field }
            for key in keys.prefix(Self.refusedValuesShown) {
                guard let found = lines[key], let refusal = rules.refusals([(key.field, key.value)]).first else { continue }
                let shown = found.prefix(5).map(String.init).joined(separator: ", ") + (found.count > 5 ? ", …" : "")
                let count = found.count == 1 ? "1 ticket, line" : "\(found.count) tickets, lines"
                warnings.append("\(source):\(found[0]): warning: \(refusal.reason) (\(count) \(shown)); \(refusal.hint)")
            }
            let rest = keys.dropFirst(Self.refusedValuesShown)
            guard !rest.isEmpty else { continue }
            let tickets = rest.reduce(0) { $0 + (lines[$1]?.count ?? 0) }
            warnings.append("\(source): warning: \(rest.count) more \(field.rawValue) values the rules do not declare, on \(tickets) ticket\(tickets == 1 ? "" : "s")")
        }
        return warnings
    }
}
