/// Marks the repeats among a set of tickets with whole histories (a simulate or report input): each
/// ticket, in creation order, repeats the ticket with its key that was closed most recently at most
/// `within` seconds before it was created, and still closed then. The daemon's store does the same at
/// each ticket's creation, with the state of the tickets then.
public enum RepeatMarker {
    /// For each ticket (same order as `tickets`), the id of the ticket it repeats, or nil.
    public static func repeats(in tickets: [Ticket], within seconds: Int) -> [String?] {
        var result = [String?](repeating: nil, count: tickets.count)
        var spells: [(closure: RepeatKey.Closure, id: String)] = []
        for ticket in tickets {
            for closure in RepeatKey.closures(of: ticket) { spells.append((closure, ticket.id)) }
        }
        guard !spells.isEmpty else { return result }
        spells.sort { ($0.closure.closedAt, $0.id) < ($1.closure.closedAt, $1.id) }
        let order = tickets.indices.sorted { (tickets[$0].createdAt, $0) < (tickets[$1].createdAt, $1) }
        // Spells closed by the new ticket's creation, by key, in close order: the latest is at the end.
        var closedByKey: [RepeatKey: [(closure: RepeatKey.Closure, id: String)]] = [:]
        var next = 0
        for index in order {
            let ticket = tickets[index]
            let created = ticket.createdAt
            while next < spells.count, spells[next].closure.closedAt <= created {
                closedByKey[spells[next].closure.key, default: []].append(spells[next])
                next += 1
            }
            guard let key = RepeatKey(opening: ticket.fields), let candidates = closedByKey[key] else { continue }
            for candidate in candidates.reversed() {
                if candidate.closure.closedAt.seconds < created.seconds - seconds { break }
                if candidate.id == ticket.id { continue }
                if let reopened = candidate.closure.reopenedAt, reopened <= created { continue }
                result[index] = candidate.id
                break
            }
        }
        return result
    }

    /// `tickets` with `repeatOf` set (cleared where they repeat nothing).
    public static func marking(_ tickets: [Ticket], within seconds: Int) -> [Ticket] {
        var marked = tickets
        for (index, id) in repeats(in: tickets, within: seconds).enumerated() { marked[index].repeatOf = id }
        return marked
    }
}
