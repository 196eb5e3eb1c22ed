import Foundation
import GRDB
import SLAEngine

/// The delivery side of the outbox: due jobs, attempts, retries and the dead-letter state.
extension SQLiteTicketStore {
    /// The columns `outboxJob` reads, in its order: select them by this list, never `*`, since reading a
    /// column by name costs a lowercased copy of the name and a search on every row.
    static let outboxColumns = """
        id, firing_id, ticket_id, channel, channel_kind, recipients, message, state, attempts, created_at, \
        next_attempt_at, last_error, updated_at, subject, title, actions, actions_at, \
        (SELECT f.subject || char(31) || f.ticket_id || char(31) || f.policy || char(31) || f.step || char(31) || f.cycle \
           || char(31) || f.repeat_index || char(31) || outbox.channel FROM firing f WHERE f.id = outbox.firing_id)
        """

    static func outboxJob(_ row: Row) throws -> OutboxJob {
        var job = OutboxJob(id: row[0], firingID: row[1], ticketID: row[2], channel: row[3], channelKind: row[4],
                            recipients: try StoreJSON.readRecipients(row[5]), message: row[6], state: row[7], attempts: row[8],
                            createdAt: Instant(seconds: row[9]))
        job.nextAttemptAt = Instant(seconds: row[10])
        job.lastError = row[11]
        job.updatedAt = Instant(seconds: row[12])
        job.subject = FiringSubject(rawValue: row[13]) ?? .ticket
        job.title = row[14]
        job.actions = try StoreJSON.readActions(row[15])
        job.actionsAt = row[16]
        job.noticeKey = (row[17] as String?).map(OutboxJob.noticeKey(naturalKey:))
        return job
    }

    public func dueOutbox(now: Instant, limit: Int, excluding: Set<Int64>, skippingChannels: Set<String>) async throws -> [OutboxJob] {
        try await pool.read { db in
            // The jobs in flight and the full lanes' channels are skipped inside SQLite (json_each makes
            // each list a table): their rows are stepped over in the index, never fetched and decoded.
            var sql = "SELECT \(Self.outboxColumns) FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?"
            var arguments: StatementArguments = [now.seconds]
            if !excluding.isEmpty {
                sql += " AND id NOT IN (SELECT value FROM json_each(?))"
                _ = arguments.append(contentsOf: ["[" + excluding.map(String.init).joined(separator: ",") + "]"])
            }
            if !skippingChannels.isEmpty {
                sql += " AND channel NOT IN (SELECT value FROM json_each(?))"
                _ = arguments.append(contentsOf: [StoreJSON.strings(Array(skippingChannels))])
            }
            sql += " ORDER BY next_attempt_at, id LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.outboxJob)
        }
    }

    public func channelOutcomes() async throws -> [ChannelOutcome] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT channel, MAX(CASE WHEN state = 'sent' THEN updated_at END), MAX(CASE WHEN state = 'dead' THEN updated_at END)
                FROM outbox GROUP BY channel
                """).map { row in
                ChannelOutcome(channel: row[0], lastSent: (row[1] as Int?).map { Instant(seconds: $0) },
                               lastDead: (row[2] as Int?).map { Instant(seconds: $0) })
            }
        }
    }

    public func outboxBacklog() async throws -> (pending: Int, oldest: Instant?) {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = 'pending'")
            return (row?[0] ?? 0, (row?[1] as Int?).map { Instant(seconds: $0) })
        }
    }

    public func earliestOutboxAttempt() async throws -> Instant? {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'").map { Instant(seconds: $0) }
        }
    }

    @discardableResult
    public func recordAttempt(_ attempt: DeliveryAttempt, now: Instant) async throws -> OutboxJob? {
        try await pool.write { db in
            guard try Self.record(attempt, now: now, db) != nil else { return nil }
            return try Self.outboxJob(attempt.outboxID, db)
        }
    }

    /// Many attempts in one transaction: one commit (one fsync of the WAL) for all of them.
    @discardableResult
    public func recordAttempts(_ attempts: [(attempt: DeliveryAttempt, now: Instant)]) async throws -> [RecordedAttempt?] {
        try await pool.write { db in try attempts.map { try Self.record($0.attempt, now: $0.now, db) } }
    }

    static func outboxJob(_ id: Int64, _ db: Database) throws -> OutboxJob? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(outboxColumns) FROM outbox WHERE id = ?"), arguments: [id]).map(outboxJob)
    }

    /// Cached statements: the delivery path records thousands of attempts a second, and compiling the
    /// same four statements for each was a good part of its cost.
    private static func record(_ attempt: DeliveryAttempt, now: Instant, _ db: Database) throws -> RecordedAttempt? {
        let select = try db.cachedStatement(sql: "SELECT state, subject, ticket_id, channel, attempts FROM outbox WHERE id = ?")
        guard let row = try Row.fetchOne(select, arguments: [attempt.outboxID]) else { return nil }
        let current: String = row[0], subject: String = row[1], ticket: String = row[2], channel: String = row[3], attempts: Int = row[4]
        // A job an operator dropped while it was in flight stays dropped; a sent one stays sent.
        guard current == "pending" else { return RecordedAttempt(state: current, attempts: attempts) }
        let state = switch attempt.result { case .sent: "sent"; case .retry: "pending"; case .dead: "dead" }
        try db.cachedStatement(sql: """
            UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?
            """).execute(arguments: [state, attempt.result == .sent ? nil : attempt.detail,
                                     (attempt.nextAttempt ?? now).seconds, now.seconds, attempt.outboxID])
        try db.cachedStatement(sql: """
            INSERT INTO delivery_attempt (outbox_id, subject, ticket_id, channel, attempt, at, result, detail, duration_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [attempt.outboxID, subject, ticket, channel, attempts + 1, now.seconds,
                                     attempt.result.rawValue, attempt.detail, attempt.durationMilliseconds])
        return RecordedAttempt(state: state, attempts: attempts + 1)
    }

    public func outboxJob(_ id: Int64) async throws -> OutboxJob? {
        try await pool.read { db in try Self.outboxJob(id, db) }
    }

    @discardableResult
    public func enqueueFallback(for job: OutboxJob, channel: String, kind: String, message: String, now: Instant) async throws -> Int64 {
        try await pool.write { db in
            // The same links, at the same place in the original message (which ends the fallback's text).
            let shift = message.hasSuffix(job.message) ? message.utf8.count - job.message.utf8.count : 0
            let actionsAt = job.actions.isEmpty ? nil : job.actionsAt.map { $0 + shift }
            try db.execute(sql: """
                INSERT INTO outbox (firing_id, subject, ticket_id, channel, channel_kind, recipients, message, title, next_attempt_at, created_at,
                                    updated_at, actions, actions_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [job.firingID, job.subject.rawValue, job.ticketID, channel, kind, StoreJSON.recipients(job.recipients), message,
                                 job.title, now.seconds, now.seconds, now.seconds, job.actions.isEmpty ? nil : StoreJSON.actions(job.actions),
                                 actionsAt])
            return db.lastInsertedRowID
        }
    }

    public func attempts(ticket id: String) async throws -> [DeliveryAttemptRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM delivery_attempt WHERE subject = 'ticket' AND ticket_id = ? ORDER BY id", arguments: [id]).map { row in
                DeliveryAttemptRecord(outboxID: row["outbox_id"], channel: row["channel"], attempt: row["attempt"],
                                      at: Instant(seconds: row["at"]), result: row["result"], detail: row["detail"],
                                      durationMilliseconds: row["duration_ms"])
            }
        }
    }

    public func retryOutbox(_ id: Int64, actor: String?, now: Instant) async throws -> OutboxJob? {
        try await operatorChange(id, actor: actor, now: now, action: "outbox.retry", result: "retried", state: "pending")
    }

    public func dropOutbox(_ id: Int64, actor: String?, now: Instant) async throws -> OutboxJob? {
        try await operatorChange(id, actor: actor, now: now, action: "outbox.drop", result: "dropped", state: "dead")
    }

    private func operatorChange(_ id: Int64, actor: String?, now: Instant, action: String, result: String, state: String) async throws -> OutboxJob? {
        try await auditedWrite { db in
            guard let job = try Self.outboxJob(id, db) else { return nil }
            try db.execute(sql: "UPDATE outbox SET state = ?, next_attempt_at = ?, updated_at = ?, last_error = ? WHERE id = ?",
                           arguments: [state, now.seconds, now.seconds, result == "dropped" ? "dropped by \(actor ?? "an operator")" : job.lastError, id])
            try db.execute(sql: """
                INSERT INTO delivery_attempt (outbox_id, subject, ticket_id, channel, attempt, at, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, job.subject.rawValue, job.ticketID, job.channel, job.attempts, now.seconds, result, actor.map { "by \($0)" }])
            try Self.audit(db, now: now, actor: actor, action: action, ticket: job.ticketID, detail: "outbox \(id) (\(job.channel))")
            return try Self.outboxJob(id, db)
        }
    }
}
