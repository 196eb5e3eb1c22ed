import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import SLAEngine
import SLAFormats
import SLARules
import SLAScan

/// The embedded default store: one SQLite file (`slad.sqlite`) in the state folder, in WAL mode.
public final class SQLiteTicketStore: TicketStore {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating when missing) and migrates the database in `folder`. With `exclusive`, the
    /// folder is locked (`slad.lock`, flock) for the life of the store, so that a second daemon on the
    /// same state refuses to start instead of sharing it.
    public static func open(folder: String, exclusive: Bool = false) throws(StoreOpenFailure) -> SQLiteTicketStore {
        let manager = FileManager.default
        do {
            // A new state folder is the owner's alone: it holds residents' data (docs/security.md). An
            // existing one keeps the mode its operator gave it (systemd's StateDirectoryMode=, a backup's).
            if !manager.fileExists(atPath: folder) {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw .notWritable(path: folder, reason: (error as NSError).localizedDescription)
        }
        guard manager.isWritableFile(atPath: folder) else { throw .notWritable(path: folder, reason: "permission denied") }
        var lock: Int32 = -1
        if exclusive {
            lock = Glibc.open((folder as NSString).appendingPathComponent("slad.lock"), O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard lock >= 0 else { throw .notWritable(path: folder, reason: String(cString: strerror(errno))) }
            guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
                Glibc.close(lock)
                throw .inUse(path: folder)
            }
        }
        let path = (folder as NSString).appendingPathComponent("slad.sqlite")
        var configuration = Configuration()
        configuration.busyMode = .timeout(2)
        configuration.foreignKeysEnabled = true
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw .locked(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_PERM {
            throw .notWritable(path: path, reason: error.message ?? "\(error.resultCode)")
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        do {
            // Durable at each commit: GRDB sets `synchronous = NORMAL` on the writer when it turns WAL on
            // (a commit is then safe from a crash of slad but not from a power cut until the next
            // checkpoint). Every answer slad gives after a write promises the write survives both.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        let migrator = Schema.migrator
        do {
            let unknown = try pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
            if !unknown.isEmpty { throw StoreOpenFailure.newerSchema(path: path, unknown: unknown.sorted()) }
            try migrator.migrate(pool)
        } catch let failure as StoreOpenFailure {
            throw failure
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw .locked(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw .notWritable(path: path, reason: "the database file is read-only")
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        return SQLiteTicketStore(pool: pool, path: path, lock: lock)
    }

    /// The descriptor holding the folder's lock, or -1.
    let lock: Int32
    /// Action-link settings (`setLinks`): nil, the default, mints no links.
    let links = Locked<LinkMinter?>(nil)

    init(pool: DatabasePool, path: String, lock: Int32 = -1) {
        self.pool = pool
        self.path = path
        self.lock = lock
    }

    deinit {
        if lock >= 0 { Glibc.close(lock) }
    }

    // MARK: Writing tickets

    public func create(_ ticket: Ticket, idempotencyKey: String?, actor: String?, engine: Engine, now: Instant) async throws -> (StoredTicket, created: Bool) {
        try await auditedWrite { db in try Self.create(db, ticket, idempotencyKey: idempotencyKey, actor: actor, engine: engine, now: now) }
    }

    /// `create`, inside a transaction the caller holds (a batch).
    static func create(_ db: Database, _ ticket: Ticket, idempotencyKey: String?, actor: String?, engine: Engine,
                       now: Instant) throws -> (StoredTicket, created: Bool) {
        if let key = idempotencyKey,
           let existing = try String.fetchOne(try db.cachedStatement(sql: "SELECT ticket_id FROM idempotency WHERE key = ?"), arguments: [key]),
           let stored = try Self.load(db, id: existing) {
            return (stored, false)
        }
        if try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM ticket WHERE id = ?"), arguments: [ticket.id]) == true {
            throw StoreError.duplicateTicket(ticket.id)
        }
        for event in ticket.events { try Self.checkScore(event) }
        // A ticket that arrives without an assignee is routed here, the one place every creation passes
        // (single, batch, import, intake), with the workload read inside this same transaction.
        let ticket = try Self.route(db, ticket, engine: engine, now: now)
        let fields = StoreJSON.fields(ticket.fields)
        let repeatOf = try engine.rules.repeats.flatMap { try Self.repeatedTicket(db, opening: ticket, within: $0.withinSeconds) }
        try db.cachedStatement(sql: """
            INSERT INTO ticket (id, created_at, fields, kind, site, building, assignee, status, updated_at, repeat_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
            """).execute(arguments: [ticket.id, ticket.createdAt.seconds, fields, ticket.fields.kind, ticket.fields.site,
                             ticket.fields.building, ticket.fields.assignee, now.seconds, repeatOf])
        for (seq, event) in ticket.events.enumerated() {
            try Self.insert(event, seq: seq, ticket: ticket.id, db: db, now: now)
        }
        if let key = idempotencyKey {
            try db.cachedStatement(sql: "INSERT INTO idempotency (key, ticket_id, created_at) VALUES (?, ?, ?)")
                .execute(arguments: [key, ticket.id, now.seconds])
        }
        try Self.audit(db, now: now, actor: actor, action: "ticket.create", ticket: ticket.id, detail: nil)
        // A new ticket has no firings yet (only a scan writes them, for tickets that exist; none are deleted).
        let evaluation = engine.evaluate(ticket, at: now, fired: [])
        let nextDue = evaluation.due.isEmpty ? evaluation.nextDue : now
        try update(db, ticket: ticket, evaluation: evaluation, nextDue: nextDue, now: now)
        try Self.linkNewTicket(db, ticket, engine: engine, now: now)
        // The answer is what was just written, not read back (reading it back, fields and events decoded
        // again, was a sixth of a batch's CPU); only the incident link is read, which declaring may have set.
        var stored = ticket
        stored.repeatOf = repeatOf
        let incident = try String.fetchOne(try db.cachedStatement(sql: "SELECT incident_id FROM ticket WHERE id = ?"), arguments: [ticket.id])
        return (StoredTicket(ticket: stored, status: evaluation.status, policy: evaluation.policy, cycle: evaluation.cycle,
                             overdue: overdue(evaluation), nextDue: nextDue, updatedAt: now, incidentID: incident), true)
    }

    public func append(_ event: TicketEventRecord, to id: String, engine: Engine, now: Instant) async throws -> StoredTicket {
        try await auditedWrite { db in try Self.append(db, event, to: id, engine: engine, now: now) }
    }

    /// `append`, inside a transaction the caller holds (an action link's press).
    static func append(_ db: Database, _ event: TicketEventRecord, to id: String, engine: Engine, now: Instant) throws -> StoredTicket {
        try checkScore(event)
        guard let stored = try Self.load(db, id: id) else { throw StoreError.unknownTicket(id) }
        let status = engine.fields(of: stored.ticket, at: max(now, event.at)).status
        if let refusal = TicketLifecycle.refusal(of: event.kind, status: status) { throw StoreError.refused(refusal) }
        let seq = (try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM ticket_event WHERE ticket_id = ?", arguments: [id]) ?? -1) + 1
        try Self.insert(event, seq: seq, ticket: id, db: db, now: now)
        let detail = [event.note, event.via.map { "via \($0)" }].compactMap { $0 }.joined(separator: " ")
        try Self.audit(db, now: now, actor: event.actor, action: "ticket.\(event.kind.rawValue)", ticket: id, detail: detail.isEmpty ? nil : detail)
        let ticket = stored.ticket.appending(event)
        try Self.refresh(db, ticket: ticket, engine: engine, now: now)
        return try Self.load(db, id: id)!
    }

    static func insert(_ event: TicketEventRecord, seq: Int, ticket: String, db: Database, now: Instant) throws {
        let changes = event.changes.map(StoreJSON.changes)
        try db.cachedStatement(sql: """
            INSERT INTO ticket_event (ticket_id, seq, kind, at, actor, note, changes, recorded_at, via, score)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [ticket, seq, event.kind.rawValue, event.at.seconds, event.actor, event.note, changes, now.seconds,
                                     event.via, event.score])
    }

    static func audit(_ db: Database, now: Instant, actor: String?, action: String, ticket: String?, detail: String?) throws {
        try db.cachedStatement(sql: "INSERT INTO audit (at, actor, action, ticket_id, detail) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [now.seconds, actor, action, ticket, AuditTrail.detail(detail)])
    }

    /// Re-evaluates a ticket and stores its denormalised state. When steps are due now, `next_due` is now,
    /// so the loop's next scan fires them (the firing and its outbox rows are always written by a scan).
    static func refresh(_ db: Database, ticket: Ticket, engine: Engine, now: Instant) throws {
        let fired = try firings(db, ticket: ticket.id).map(\.firing)
        let evaluation = engine.evaluate(ticket, at: now, fired: fired)
        let next = evaluation.due.isEmpty ? evaluation.nextDue : now
        try update(db, ticket: ticket, evaluation: evaluation, nextDue: next, now: now)
    }

    /// The `overdue` column: a clock still running has run out.
    static func overdue(_ evaluation: Evaluation) -> Bool {
        evaluation.clocks.contains { $0.state == .breached && !$0.isStopped }
    }

    static func update(_ db: Database, ticket: Ticket, evaluation: Evaluation, nextDue: Instant?, now: Instant) throws {
        let (fields, _) = (ticket.fields, evaluation.status)
        var assignee = fields.assignee
        for event in ticket.events where event.at <= now && event.kind == .assigned {
            assignee = event.changes?["assignee"] ?? assignee
        }
        let board = BoardDeadlines(evaluation, now: now)
        let closed = repeatColumns(ticket, status: evaluation.status, now: now)
        try db.cachedStatement(sql: """
            UPDATE ticket SET status = ?, policy = ?, cycle = ?, overdue = ?, next_due = ?, assignee = ?, updated_at = ?,
              deadline = ?, deadline_clock = ?, breached_at = ?, breached_clock = ?, repeat_key = ?, closed_at = ? WHERE id = ?
            """).execute(arguments: [evaluation.status, evaluation.policy, evaluation.cycle, overdue(evaluation), nextDue?.seconds, assignee,
                             now.seconds, board.next?.at.seconds, board.next?.clock, board.breached?.at.seconds, board.breached?.clock,
                             closed.key, closed.closedAt, ticket.id])
    }

    // MARK: The scan

    /// Reads the due incidents and tickets, lets `ScanDecision` decide, and applies its plan, all in one
    /// write transaction (docs/adr/0030).
    public func scan(engine: Engine, now: Instant, limit: Int) async throws -> ScanReport {
        try await pool.write { db in
            let minter = self.links.current
            let input = try Self.readDue(db, now: now, limit: limit, withLinks: minter != nil)
            let plan = ScanDecision.decide(input, engine: engine, now: now)
            return try Self.apply(plan, db, minter: minter, now: now)
        }
    }

    /// What the scan reads: due incidents with their firings, the incidents open, and due tickets with their
    /// events and firings — three queries for the whole batch of tickets, not three per ticket.
    static func readDue(_ db: Database, now: Instant, limit: Int, withLinks: Bool) throws -> ScanInput {
        var incidents: [DueIncident] = []
        for id in try String.fetchAll(db, sql: "SELECT id FROM incident WHERE next_due <= ? ORDER BY next_due LIMIT ?",
                                      arguments: [now.seconds, limit]) {
            guard let stored = try loadIncident(db, id: id) else { continue }
            incidents.append(DueIncident(incident: stored.incident, fired: try incidentFirings(db, id: id)))
        }
        let open = Set(try String.fetchAll(db, sql: "SELECT id FROM incident WHERE status = 'open'"))
        let due = "SELECT id FROM ticket WHERE next_due <= ? ORDER BY next_due LIMIT ?"
        let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT id, fields, overdue, incident_id FROM ticket WHERE next_due <= ? ORDER BY next_due LIMIT ?"),
                                    arguments: [now.seconds, limit])
        var eventsByTicket: [String: [TicketEventRecord]] = [:]
        for row in try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT ticket_id, kind, at, actor, note, changes, via, score FROM ticket_event WHERE ticket_id IN (\(due)) ORDER BY ticket_id, seq
            """), arguments: [now.seconds, limit]) {
            eventsByTicket[row[0], default: []].append(try Self.event(row, offset: 1))
        }
        var firedByTicket: [String: [Firing]] = [:]
        for row in try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT ticket_id, policy, step, cycle, repeat_index FROM firing WHERE subject = 'ticket' AND ticket_id IN (\(due))
            """), arguments: [now.seconds, limit]) {
            firedByTicket[row[0], default: []].append(Firing(policy: row[1], step: row[2], cycle: row[3], repeatIndex: row[4]))
        }
        var tickets: [DueTicket] = []
        tickets.reserveCapacity(rows.count)
        for row in rows {
            let id: String = row[0]
            tickets.append(DueTicket(ticket: Ticket(id: id, fields: try StoreJSON.readFields(row[1]), events: eventsByTicket[id] ?? []),
                                     wasOverdue: row[2], incidentID: row[3], fired: firedByTicket[id] ?? []))
        }
        return ScanInput(incidents: incidents, tickets: tickets, openIncidents: open, withLinks: withLinks)
    }

    /// Writes a scan's plan in the caller's transaction: each firing (refused by its unique key when it is
    /// recorded already: then nothing of it is written), its outbox rows and links, and every subject's state
    /// and next-due instant.
    static func apply(_ plan: ScanPlan, _ db: Database, minter: LinkMinter?, now: Instant) throws -> ScanReport {
        var report = ScanReport()
        for outcome in plan.incidents {
            switch outcome {
            case let .planGone(id):
                try db.execute(sql: "UPDATE incident SET next_due = NULL, updated_at = ? WHERE id = ?", arguments: [now.seconds, id])
            case let .evaluated(incident, evaluation, firings):
                report.incidentsEvaluated += 1
                for firing in firings { try record(firing, db, minter: minter, now: now, into: &report) }
                try updateIncident(db, incident, evaluation: evaluation, nextDue: evaluation.nextDue, now: now)
            }
        }
        for outcome in plan.tickets {
            report.evaluated += 1
            for firing in outcome.firings { try record(firing, db, minter: minter, now: now, into: &report) }
            if outcome.isBreach { report.breaches += 1 }
            try update(db, ticket: outcome.ticket, evaluation: outcome.evaluation, nextDue: outcome.nextDue, now: now)
        }
        return report
    }

    /// One planned firing: its row (unless its key is recorded already), then its outbox rows and links.
    static func record(_ firing: PlannedFiring, _ db: Database, minter: LinkMinter?, now: Instant, into report: inout ScanReport) throws {
        try db.cachedStatement(sql: """
            INSERT INTO firing (subject, ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached, held_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).execute(arguments: [firing.subject.rawValue, firing.subjectID, firing.firing.policy, firing.firing.step, firing.firing.cycle,
                                     firing.firing.repeatIndex, firing.dueAt.seconds, now.seconds, firing.lateness, firing.missed,
                                     StoreJSON.strings(firing.people), StoreJSON.strings(firing.unreached), firing.heldBy])
        guard db.changesCount == 1 else {
            report.duplicatesSkipped += 1
            return
        }
        let id = db.lastInsertedRowID
        try insertJobs(db, firing: id, subject: firing.subject, id: firing.subjectID, jobs: firing.jobs,
                       links: minter.flatMap { minter in firing.links.map { (minter, $0) } }, now: now)
        report.record(firing, id: id, now: now)
    }

    /// A firing's outbox rows; with `links`, each row also gets its recipients' action links, in the same
    /// transaction.
    static func insertJobs(_ db: Database, firing: Int64, subject: FiringSubject, id: String, jobs: [PlannedJob],
                           links: (LinkMinter, PlannedLinks)?, now: Instant) throws {
        for job in jobs {
            let list = job.recipients.map { OutboxJob.Recipient(person: $0.person, name: $0.name, address: $0.address) }
            try db.cachedStatement(sql: """
                INSERT INTO outbox (firing_id, subject, ticket_id, channel, channel_kind, recipients, message, title, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [firing, subject.rawValue, id, job.channel, job.kind, StoreJSON.recipients(list), job.message,
                                 job.title, now.seconds, now.seconds, now.seconds])
            if let links {
                try mintLinks(db, links.1, minter: links.0, recipients: list, firing: firing, outbox: db.lastInsertedRowID,
                              actionsAt: job.actionsAt, now: now)
            }
        }
    }

    /// The earliest next-due instant of any ticket or incident.
    public func earliestDue() async throws -> Instant? {
        try await pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT MIN(due) FROM (SELECT MIN(next_due) AS due FROM ticket UNION ALL SELECT MIN(next_due) FROM incident)
                """).map(Instant.init(seconds:))
        }
    }

    public func reevaluateAll(engine: Engine, now: Instant) async throws -> Int {
        // Open incidents first (few): a plan's new deadlines take effect at once.
        try await pool.write { db in
            for id in try String.fetchAll(db, sql: "SELECT id FROM incident WHERE status = 'open'") {
                guard let stored = try Self.loadIncident(db, id: id) else { continue }
                try Self.refreshIncident(db, stored.incident, engine: engine, now: now)
            }
        }
        var done = 0
        var after = ""
        while true {
            let cursor = after
            // Batches of 500, each its own transaction, so a large store does not hold the write lock long.
            let last: String? = try await pool.write { db in
                let ids = try String.fetchAll(db, sql: "SELECT id FROM ticket WHERE status != 'closed' AND id > ? ORDER BY id LIMIT 500",
                                              arguments: [cursor])
                for id in ids {
                    guard let stored = try Self.load(db, id: id) else { continue }
                    try Self.refresh(db, ticket: stored.ticket, engine: engine, now: now)
                }
                return ids.last
            }
            guard let last else { return done }
            done += 1
            after = last
            done += try await pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket WHERE status != 'closed' AND id > ? AND id <= ?", arguments: [cursor, last]) ?? 0
            } - 1
        }
    }

    // MARK: Reading

    public func ticket(_ id: String) async throws -> StoredTicket? {
        try await pool.read { db in try Self.load(db, id: id) }
    }

    public func firings(of id: String) async throws -> [FiringRecord] {
        try await pool.read { db in try Self.firings(db, ticket: id) }
    }

    public func list(_ filter: TicketFilter) async throws -> [StoredTicket] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let status = filter.status { conditions.append("status = ?"); arguments.append(status) }
            if let policy = filter.policy { conditions.append("policy = ?"); arguments.append(policy) }
            if let site = filter.site { conditions.append("site = ?"); arguments.append(site) }
            if let assignee = filter.assignee { conditions.append("assignee = ?"); arguments.append(assignee) }
            if let overdue = filter.overdue { conditions.append("overdue = ?"); arguments.append(overdue) }
            if filter.openOnly { conditions.append("status != 'closed'") }
            if let after = filter.after { conditions.append("id > ?"); arguments.append(after) }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let ids = try String.fetchAll(db, sql: "SELECT id FROM ticket \(whereClause) ORDER BY id LIMIT ?",
                                          arguments: StatementArguments(arguments + [filter.limit]))
            return try ids.compactMap { try Self.load(db, id: $0) }
        }
    }

    public func outbox(state: String?, limit: Int) async throws -> [OutboxJob] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.outboxColumns) FROM outbox \(state == nil ? "" : "WHERE state = ?") ORDER BY id LIMIT ?
                """, arguments: state.map { [$0, limit] } ?? [limit])
            return try rows.map(Self.outboxJob)
        }
    }

    public func markOutbox(_ id: Int64, sent: Bool, error: String?, now: Instant) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?
                """, arguments: [sent ? "sent" : "pending", error, now.seconds, id])
        }
    }

    public func statistics() async throws -> StoreStatistics {
        try await pool.read { db in
            var stats = StoreStatistics()
            for row in try Row.fetchAll(db, sql: "SELECT COALESCE(policy, ''), COUNT(*) FROM ticket WHERE status != 'closed' GROUP BY 1") {
                stats.openByPolicy[row[0]] = row[1]
            }
            stats.overdue = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket WHERE overdue = 1") ?? 0
            stats.openIncidents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident WHERE status = 'open'") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM outbox GROUP BY state") {
                stats.outboxByState[row[0]] = row[1]
            }
            stats.firings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM firing") ?? 0
            return stats
        }
    }

    public func meta(_ key: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    public func setMeta(_ key: String, _ value: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }

    // MARK: Loading rows

    static func load(_ db: Database, id: String) throws -> StoredTicket? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM ticket WHERE id = ?"), arguments: [id]) else { return nil }
        let fields = try StoreJSON.readFields(row["fields"])
        let events = try Row.fetchAll(try db.cachedStatement(sql: "SELECT kind, at, actor, note, changes, via, score FROM ticket_event WHERE ticket_id = ? ORDER BY seq"),
                                      arguments: [id]).map { try Self.event($0, offset: 0) }
        var ticket = Ticket(id: id, fields: fields, events: events)
        ticket.repeatOf = row["repeat_of"]
        return StoredTicket(ticket: ticket, status: row["status"], policy: row["policy"],
                            cycle: row["cycle"], overdue: row["overdue"], nextDue: (row["next_due"] as Int?).map(Instant.init(seconds:)),
                            updatedAt: Instant(seconds: row["updated_at"]), incidentID: row["incident_id"])
    }

    /// An event from the columns kind, at, actor, note, changes, via, score, starting at `offset`.
    static func event(_ row: Row, offset: Int) throws -> TicketEventRecord {
        TicketEventRecord(kind: EventKind(rawValue: row[offset]) ?? .comment, at: Instant(seconds: row[offset + 1]),
                          actor: row[offset + 2], note: row[offset + 3],
                          changes: try (row[offset + 4] as String?).map(StoreJSON.readChanges), via: row[offset + 5],
                          score: row[offset + 6])
    }

    static func firings(_ db: Database, ticket: String) throws -> [FiringRecord] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM firing WHERE subject = 'ticket' AND ticket_id = ? ORDER BY id"), arguments: [ticket]).map { row in
            FiringRecord(id: row["id"], ticketID: row["ticket_id"],
                         firing: Firing(policy: row["policy"], step: row["step"], cycle: row["cycle"], repeatIndex: row["repeat_index"]),
                         dueAt: Instant(seconds: row["due_at"]), firedAt: Instant(seconds: row["fired_at"]),
                         lateness: row["lateness"], missed: row["missed"],
                         people: try StoreJSON.readStrings(row["people"]),
                         unreached: try StoreJSON.readStrings(row["unreached"]), heldBy: row["held_by"])
        }
    }
}
