import GRDB
import SLAEngine

/// The 看板's reads, in one read transaction (one consistent picture): the per-policy counts read
/// `ticket_open_policy` (a partial index of the open tickets only), the two lists walk `ticket_deadline`
/// and `ticket_breached` (partial indexes of tickets with a running clock), and so do their counts.
extension SQLiteTicketStore {
    public func board(now: Instant, within: Int, limit: Int) async throws -> BoardTickets {
        try await pool.read { db in
            var board = BoardTickets()
            // Grouped by the column itself, in the index's order (no sort); NULL (no policy) comes first as "".
            for row in try Row.fetchAll(db, sql: """
                SELECT policy, COUNT(*), SUM(overdue) FROM ticket WHERE status != 'closed' GROUP BY policy
                """) {
                board.policies.append(PolicyCount(policy: row[0] ?? "", open: row[1], overdue: row[2] ?? 0))
            }
            let columns = "id, policy, fields, assignee"
            let soon = "deadline > ? AND deadline <= ?"
            board.atRisk = try Row.fetchAll(db, sql: """
                SELECT \(columns), deadline_clock, deadline FROM ticket WHERE \(soon) ORDER BY deadline, id LIMIT ?
                """, arguments: [now.seconds, now.seconds + within, limit]).map(Self.boardTicket)
            board.atRiskTotal = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket WHERE \(soon)",
                                                 arguments: [now.seconds, now.seconds + within]) ?? 0
            board.breached = try Row.fetchAll(db, sql: """
                SELECT \(columns), breached_clock, breached_at FROM ticket WHERE breached_at IS NOT NULL ORDER BY breached_at, id LIMIT ?
                """, arguments: [limit]).map(Self.boardTicket)
            board.breachedTotal = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket WHERE breached_at IS NOT NULL") ?? 0
            let open = try String.fetchAll(db, sql: "SELECT id FROM incident WHERE status = 'open' ORDER BY opened_at DESC, rowid DESC LIMIT ?",
                                           arguments: [limit])
            board.incidents = try open.compactMap { try Self.loadIncident(db, id: $0) }
            board.incidentsTotal = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident WHERE status = 'open'") ?? 0
            return board
        }
    }

    /// A row of id, policy, fields, assignee, clock, deadline.
    static func boardTicket(_ row: Row) throws -> BoardTicket {
        BoardTicket(id: row[0], policy: row[1], fields: try StoreJSON.readFields(row[2]), assignee: row[3],
                    clock: row[4] ?? "", deadline: Instant(seconds: row[5]))
    }
}
