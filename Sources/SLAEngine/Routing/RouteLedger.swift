import SLARules

/// The workload of tickets replayed on virtual time (`slad simulate`, `slad test`): routes the tickets
/// in creation order, each seeing the tickets created before it as they stand at its creation — who has
/// them and whether they are still open — and the person each team gave its last routed ticket to.
public struct RouteLedger {
    let engine: Engine
    /// Per person, the tickets they may still hold (pruned once closed for good).
    private var held: [String: [Ticket]] = [:]
    private var lastOfTeam: [String: String] = [:]
    private var added = 0

    public init(engine: Engine) { self.engine = engine }

    /// Routes every ticket that needs it, in creation order (ties in input order); answers in input order.
    public static func route(_ tickets: [Ticket], engine: Engine) -> [(ticket: Ticket, decision: RouteDecision?)] {
        guard engine.hasRoutes else { return tickets.map { ($0, nil) } }
        var ledger = RouteLedger(engine: engine)
        var result: [(ticket: Ticket, decision: RouteDecision?)] = tickets.map { ($0, nil) }
        let order = tickets.indices.sorted { (tickets[$0].createdAt, $0) < (tickets[$1].createdAt, $1) }
        for index in order { result[index] = ledger.add(tickets[index]) }
        return result
    }

    /// Routes one ticket (when it needs it) against the tickets added before, then remembers it.
    public mutating func add(_ ticket: Ticket) -> (ticket: Ticket, decision: RouteDecision?) {
        added += 1
        if added % 1024 == 0 { prune(at: ticket.createdAt) }
        let view = View(ledger: self, at: ticket.createdAt)
        let (routed, decision) = engine.routed(ticket, workload: view)
        if let team = decision?.team, let person = decision?.assignee { lastOfTeam[team] = person }
        for person in Set(routed.events.compactMap { $0.changes?["assignee"] } + [routed.fields.assignee].compactMap { $0 }) {
            held[person, default: []].append(routed)
        }
        return (routed, decision)
    }

    /// Forgets tickets closed (or resolved) for good by `instant`: nothing after it can reopen them.
    private mutating func prune(at instant: Instant) {
        for (person, tickets) in held {
            held[person] = tickets.filter { ticket in
                guard let last = ticket.events.last, last.at <= instant else { return true }
                let status = engine.fields(of: ticket, at: instant).status
                return status != "resolved" && status != "closed"
            }
        }
    }

    /// The ledger as it stands at one instant.
    struct View: RouteWorkload {
        let ledger: RouteLedger
        let at: Instant

        func openTickets(of person: String) -> Int {
            (ledger.held[person] ?? []).reduce(0) { count, ticket in
                let state = ledger.engine.fields(of: ticket, at: at)
                return count + (state.fields.assignee == person && state.status != "resolved" && state.status != "closed" ? 1 : 0)
            }
        }

        func lastPerson(of team: String) -> String? { ledger.lastOfTeam[team] }
    }
}
