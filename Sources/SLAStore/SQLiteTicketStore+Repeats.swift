import GRDB
import SLAEngine

/// Repeat marking (`repeats { within … }`) and revisit scores in the store. A closed ticket keeps its
/// `RepeatKey` text and close instant in `repeat_key` / `closed_at` (set by `update`, cleared when it is
/// reopened); a new ticket finds the ticket it repeats with one lookup in the partial index `ticket_repeat`.
extension SQLiteTicketStore {
    /// The ticket a new one repeats: same key, closed now and at most `within` seconds before the new
    /// ticket's creation (and not after it), the most recently closed one. Nil without a site.
    static func repeatedTicket(_ db: Database, opening ticket: Ticket, within seconds: Int) throws -> String? {
        guard let key = RepeatKey(opening: ticket.fields) else { return nil }
        let created = ticket.createdAt.seconds
        return try String.fetchOne(try db.cachedStatement(sql: """
            SELECT id FROM ticket WHERE repeat_key = ? AND closed_at BETWEEN ? AND ? AND id != ?
            ORDER BY closed_at DESC, id DESC LIMIT 1
            """), arguments: [key.text, created - seconds, created, ticket.id])
    }

    /// The `repeat_key` and `closed_at` columns of a ticket with `status` at `now`: set while it is closed.
    static func repeatColumns(_ ticket: Ticket, status: String, now: Instant) -> (key: String?, closedAt: Int?) {
        guard status == "closed", let closure = RepeatKey.closed(ticket, at: now) else { return (nil, nil) }
        return (closure.key.text, closure.closedAt.seconds)
    }

    /// Refuses an event whose score is out of range or on an event other than `revisited`, before anything
    /// is written.
    static func checkScore(_ event: TicketEventRecord) throws {
        if let reason = RevisitScore.refusal(event.score, kind: event.kind) { throw StoreError.refused(reason) }
    }

    /// Migration v7: the tickets already closed get their repeat columns, so that repeats of them are found.
    static func backfillRepeatKeys(_ db: Database) throws {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM ticket WHERE status = 'closed'")
        for id in ids {
            guard let stored = try load(db, id: id),
                  let closure = RepeatKey.closures(of: stored.ticket).last, closure.reopenedAt == nil else { continue }
            try db.execute(sql: "UPDATE ticket SET repeat_key = ?, closed_at = ? WHERE id = ?",
                           arguments: [closure.key.text, closure.closedAt.seconds, id])
        }
    }
}
