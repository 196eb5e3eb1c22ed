import Foundation
import GRDB
import SLAEngine

/// Jobs that cannot go out because their channel cannot deliver (a missing secret, a kind this build
/// lacks, a channel a reload removed): they stay pending, but each says why and when slad looks again.
extension SQLiteTicketStore {
    public func holdOutbox(channel: String, reason: String, until: Instant, now: Instant) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE outbox SET last_error = ?, next_attempt_at = ?, updated_at = ?
                WHERE state = 'pending' AND channel = ? AND next_attempt_at <= ?
                """, arguments: [reason, until.seconds, now.seconds, channel, now.seconds])
            return db.changesCount
        }
    }

    public func pendingOutbox(ticket id: String) async throws -> [OutboxJob] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.outboxColumns) FROM outbox WHERE subject = 'ticket' AND ticket_id = ? AND state = 'pending' ORDER BY id
                """, arguments: [id]).map(Self.outboxJob)
        }
    }
}
