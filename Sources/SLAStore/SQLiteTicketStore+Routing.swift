import GRDB
import SLAEngine

extension SQLiteTicketStore {
    /// Routes a new ticket that arrived without an assignee (docs/dispatch.md): the decision is the
    /// engine's; the store supplies the workload from inside the create's transaction, so creates
    /// committed together (group commit, a batch) each see the ones before them, and records the turn
    /// a round robin takes. Returns the ticket with its `assigned` event, or as it was.
    static func route(_ db: Database, _ ticket: Ticket, engine: Engine, now: Instant) throws -> Ticket {
        guard engine.hasRoutes, engine.needsRoute(ticket) else { return ticket }
        let workload = StoreRouteWorkload(db: db)
        let (routed, decision) = engine.routed(ticket, workload: workload)
        if let failure = workload.failure { throw failure }
        guard let decision, let person = decision.assignee, let route = decision.route else { return routed }
        if let team = decision.team {
            try db.cachedStatement(sql: "INSERT INTO route_turn (team, person, at) VALUES (?, ?, ?) ON CONFLICT(team) DO UPDATE SET person = excluded.person, at = excluded.at")
                .execute(arguments: [team, person, now.seconds])
        }
        let how = decision.trials.last.map { trial -> String in
            if case let .took(how) = trial.outcome { return how }
            return ""
        } ?? ""
        let detail = ["route \(route) → \(person)", how, decision.prediction?.note].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
        try audit(db, now: now, actor: decision.actor, action: "ticket.route", ticket: ticket.id, detail: detail)
        return routed
    }
}

/// The workload the route strategies ask for, read from the store in the caller's transaction. A read
/// that fails is remembered and thrown by the caller once the decision returns (the protocol does not throw).
final class StoreRouteWorkload: RouteWorkload {
    let db: Database
    private(set) var failure: Error?

    init(db: Database) { self.db = db }

    func openTickets(of person: String) -> Int {
        do {
            return try Int.fetchOne(try db.cachedStatement(sql: """
                SELECT COUNT(*) FROM ticket WHERE assignee = ? AND status NOT IN ('resolved', 'closed')
                """), arguments: [person]) ?? 0
        } catch {
            failure = failure ?? error
            return 0
        }
    }

    func lastPerson(of team: String) -> String? {
        do {
            return try String.fetchOne(try db.cachedStatement(sql: "SELECT person FROM route_turn WHERE team = ?"), arguments: [team])
        } catch {
            failure = failure ?? error
            return nil
        }
    }
}
