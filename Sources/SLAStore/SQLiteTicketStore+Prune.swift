import Foundation
import GRDB
import SLAEngine

/// Retention (`slad prune`, docs/adr/0027): tickets closed before a cutoff go, with their events, firings,
/// outbox jobs, delivery attempts, action links and idempotency keys, into a gzip JSON Lines archive in
/// the state folder, then out of the database, a batch of tickets per transaction so that the escalation
/// loop's scans (which wait for the one writer) never wait long.
extension SQLiteTicketStore {
    public struct PruneReport: Sendable, Equatable {
        public var tickets = 0
        public var events = 0
        public var firings = 0
        public var jobs = 0
        public var attempts = 0
        public var links = 0
        /// Transactions used (0 for a dry run).
        public var batches = 0
        /// The archive written, nil for a dry run or when nothing went.
        public var archive: String?
        public init() {}
    }

    /// The tickets retention removes: closed (by `closed_at`, or the last change when that is unknown)
    /// before `cutoff`, oldest first, after the cursor (closing time, rowid): v13's partial index
    /// `ticket_closed` is walked in order from the cursor's time, so a batch reads only its own rows (the
    /// row-value test drops the few at the cursor's time already seen — tickets kept for a pending notice).
    static let eligibleSQL = """
        SELECT COALESCE(closed_at, updated_at) AS closed, rowid, id FROM ticket INDEXED BY ticket_closed
        WHERE status = 'closed' AND COALESCE(closed_at, updated_at) < ?
          AND COALESCE(closed_at, updated_at) >= ? AND (COALESCE(closed_at, updated_at), rowid) > (?, ?)
        ORDER BY COALESCE(closed_at, updated_at), rowid LIMIT ?
        """

    /// Where a walk over the eligible tickets stands.
    struct PruneCursor: Sendable {
        var closed = Int64.min
        var rowid = Int64.min
    }

    /// The next `limit` eligible tickets after `cursor`, and the cursor after them (nil when none is left).
    static func eligible(_ db: Database, before cutoff: Instant, after cursor: PruneCursor, limit: Int) throws -> ([String], PruneCursor?) {
        let rows = try Row.fetchAll(db, sql: eligibleSQL, arguments: [cutoff.seconds, cursor.closed, cursor.closed, cursor.rowid, limit])
        guard let last = rows.last else { return ([], nil) }
        return (rows.map { $0["id"] as String }, PruneCursor(closed: last["closed"], rowid: last["rowid"]))
    }

    /// What a prune at `cutoff` would remove, counted in one read.
    public func prunePreview(closedBefore cutoff: Instant) async throws -> PruneReport {
        try await pool.read { db in
            var report = PruneReport()
            var after = PruneCursor()
            while true {
                let (ids, next) = try Self.eligible(db, before: cutoff, after: after, limit: 5000)
                guard let next else { return report }
                after = next
                let list = StoreJSON.strings(try Self.withoutPendingNotices(db, ids))
                report.tickets += try Int.fetchOne(db, sql: "SELECT json_array_length(?)", arguments: [list]) ?? 0
                report.events += try Self.count(db, "SELECT COUNT(*) FROM ticket_event WHERE ticket_id IN (SELECT value FROM json_each(?))", list)
                report.firings += try Self.count(db, "SELECT COUNT(*) FROM firing WHERE subject = 'ticket' AND ticket_id IN (SELECT value FROM json_each(?))", list)
                report.jobs += try Self.count(db, """
                    SELECT COUNT(*) FROM outbox WHERE firing_id IN (SELECT id FROM firing WHERE subject = 'ticket' AND ticket_id IN (SELECT value FROM json_each(?)))
                    """, list)
                report.attempts += try Self.count(db, "SELECT COUNT(*) FROM delivery_attempt WHERE subject = 'ticket' AND ticket_id IN (SELECT value FROM json_each(?))", list)
                report.links += try Self.count(db, "SELECT COUNT(*) FROM action_link WHERE subject = 'ticket' AND subject_id IN (SELECT value FROM json_each(?))", list)
            }
        }
    }

    /// `ids` less the tickets with a notice still pending (through the firing index and v12's outbox_firing).
    static func withoutPendingNotices(_ db: Database, _ ids: [String]) throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let pending = Set(try String.fetchAll(db, sql: """
            SELECT DISTINCT f.ticket_id FROM firing f JOIN outbox o ON o.firing_id = f.id
            WHERE f.subject = 'ticket' AND f.ticket_id IN (SELECT value FROM json_each(?)) AND o.state = 'pending'
            """, arguments: [StoreJSON.strings(ids)]))
        return pending.isEmpty ? ids : ids.filter { !pending.contains($0) }
    }

    private static func count(_ db: Database, _ sql: String, _ list: String) throws -> Int {
        try Int.fetchOne(db, sql: sql, arguments: [list]) ?? 0
    }

    /// Archives and deletes the tickets closed before `cutoff`, `batch` tickets per transaction. The
    /// archive (`archive/tickets-<now>.jsonl.gz` in `folder`) gets one line per ticket, synced to disk
    /// before the transaction that deletes it commits: a crash in between leaves the ticket in both
    /// (the next prune archives it again; the later line wins). `batch` is the most tickets a transaction
    /// takes; fewer when transactions take longer than about `batchTime`. After each batch the writer is
    /// left alone for `pause` (or as long as the batch took, if longer). `between` runs between batches.
    public func prune(closedBefore cutoff: Instant, archiveFolder: String, batch: Int = 500, now: Instant,
                      batchTime: Duration = .milliseconds(100), pause: Duration = .milliseconds(120),
                      between: @Sendable () async -> Void = {}) async throws -> PruneReport {
        var report = PruneReport()
        var archive: GzipLines?
        var after = PruneCursor()
        // Each transaction holds the one writer: it is kept near `batchTime` by halving the batch when one
        // took longer and growing it back (up to `batch`) when they are quick, so that a slow disk or a busy
        // CPU never makes the loop's scan wait long (its busy timeout is 2 s).
        var size = min(batch, 50)   // start small: the first transaction's cost is not known yet
        defer { try? archive?.finish() }
        while true {
            let cursor = after
            let writer = archive
            let limit = size
            let (last, part, opened, took): (PruneCursor?, PruneReport, GzipLines?, Duration) = try await pool.write { db in
                // The transaction's own time, not the wait for the writer (the loop's scans come first).
                let started = ContinuousClock.now
                let (found, next) = try Self.eligible(db, before: cutoff, after: cursor, limit: limit)
                let ids = try Self.withoutPendingNotices(db, found)
                guard !ids.isEmpty else { return (next, PruneReport(), writer, ContinuousClock.now - started) }
                let file = try writer ?? Self.openArchive(folder: archiveFolder, now: now)
                let part = try Self.archiveAndDelete(db, ids: ids, into: file)
                return (next, part, file, ContinuousClock.now - started)
            }
            archive = opened
            if took > batchTime * 2 { size = max(1, size / 2) } else if took < batchTime / 2 { size = min(batch, size * 2) }
            guard let last else { break }
            after = last
            if part.tickets > 0 {
                report.tickets += part.tickets
                report.events += part.events
                report.firings += part.firings
                report.jobs += part.jobs
                report.attempts += part.attempts
                report.links += part.links
                report.batches += 1
            }
            await between()
            // Let the writer go for a while: SQLite's busy handler is not fair, and a scan polling for the
            // lock (every 25–100 ms) would otherwise keep missing the moment between two batches.
            if part.tickets > 0 { try await Task.sleep(for: max(pause, took)) }
        }
        try archive?.finish()
        report.archive = archive?.path
        if report.tickets > 0 {
            // The deletes left the write-ahead log long: copy it into the database now (passive: it waits for
            // no reader and holds up no writer), so that the next commit starts the log afresh and the loop's
            // reads stop looking pages up in it. Without this, the scans after a prune of 100,000 ran about
            // 40 % slower than before it (docs/performance.md, "Retention beside the loop").
            _ = try? await pool.writeWithoutTransaction { try $0.checkpoint(.passive) }
        }
        return report
    }

    static func openArchive(folder: String, now: Instant) throws -> GzipLines {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = "tickets-" + StoreBackup.rotatedName(at: now).dropFirst("slad-".count).replacingOccurrences(of: ".sqlite", with: ".jsonl.gz")
        return try GzipLines(path: (folder as NSString).appendingPathComponent(name))
    }

    /// One batch: each ticket's rows as one JSON line, synced, then deleted (children first).
    static func archiveAndDelete(_ db: Database, ids: [String], into archive: GzipLines) throws -> PruneReport {
        var report = PruneReport()
        let list = StoreJSON.strings(ids)
        let inList = "IN (SELECT value FROM json_each(?))"
        func grouped(_ sql: String, key: String) throws -> [String: [String]] {
            try Row.fetchAll(db, sql: sql, arguments: [list]).reduce(into: [:]) { $0[$1[key] as String, default: []].append(object($1)) }
        }
        let tickets = try Row.fetchAll(db, sql: "SELECT * FROM ticket WHERE id \(inList) ORDER BY id", arguments: [list])
        let events = try grouped("SELECT * FROM ticket_event WHERE ticket_id \(inList) ORDER BY ticket_id, seq", key: "ticket_id")
        let firings = try grouped("SELECT * FROM firing WHERE subject = 'ticket' AND ticket_id \(inList) ORDER BY id", key: "ticket_id")
        let jobs = try grouped("""
            SELECT * FROM outbox WHERE firing_id IN (SELECT id FROM firing WHERE subject = 'ticket' AND ticket_id \(inList)) ORDER BY id
            """, key: "ticket_id")
        let attempts = try grouped("SELECT * FROM delivery_attempt WHERE subject = 'ticket' AND ticket_id \(inList) ORDER BY id", key: "ticket_id")
        let links = try grouped("SELECT * FROM action_link WHERE subject = 'ticket' AND subject_id \(inList)", key: "subject_id")
        for row in tickets {
            let id: String = row["id"]
            // Keys in byte order, each row's columns in the table's order: written directly (Foundation's
            // JSONSerialization with sorted keys compared every pair of keys through ICU: most of a batch's CPU).
            func rows(_ objects: [String]?) -> String { "[" + (objects ?? []).joined(separator: ",") + "]" }
            let line = "{\"attempts\":\(rows(attempts[id])),\"events\":\(rows(events[id])),\"firings\":\(rows(firings[id])),"
                + "\"links\":\(rows(links[id])),\"outbox\":\(rows(jobs[id])),\"ticket\":\(object(row))}"
            try archive.write(line)
        }
        try archive.sync()
        func delete(_ sql: String) throws -> Int {
            try db.execute(sql: sql, arguments: [list])
            return db.changesCount
        }
        report.attempts = try delete("DELETE FROM delivery_attempt WHERE subject = 'ticket' AND ticket_id \(inList)")
        report.links = try delete("DELETE FROM action_link WHERE subject = 'ticket' AND subject_id \(inList)")
        report.jobs = try delete("DELETE FROM outbox WHERE firing_id IN (SELECT id FROM firing WHERE subject = 'ticket' AND ticket_id \(inList))")
        report.firings = try delete("DELETE FROM firing WHERE subject = 'ticket' AND ticket_id \(inList)")
        report.events = try delete("DELETE FROM ticket_event WHERE ticket_id \(inList)")
        _ = try delete("DELETE FROM idempotency WHERE ticket_id \(inList)")
        _ = try delete("DELETE FROM intake_delivery WHERE ticket_id \(inList)")
        report.tickets = try delete("DELETE FROM ticket WHERE id \(inList)")
        return report
    }

    /// A row as a JSON object, its columns in the row's order: integer, real, text (JSON columns stay
    /// text), base64 blob, or null.
    static func object(_ row: Row) -> String {
        var out = "{"
        var first = true
        for (column, value) in row {
            if !first { out.append(",") }
            first = false
            StoreJSON.quote(column, into: &out)
            out.append(":")
            switch value.storage {
            case .null: out.append("null")
            case let .int64(number): out.append(String(number))
            case let .double(number): out.append(number.isFinite ? "\(number)" : "null")
            case let .string(text): StoreJSON.quote(text, into: &out)
            case let .blob(data): StoreJSON.quote(data.base64EncodedString(), into: &out)
            }
        }
        return out + "}"
    }
}
