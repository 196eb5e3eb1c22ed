import Foundation
import GRDB
import SLAEngine

/// `slad store check`: SQLite's integrity check plus slad's own invariants, on a state folder's database
/// opened read-only (the daemon may be running). Each finding names the rows it is about.
public enum StoreCheck {
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        /// A stable name: integrity, foreign_key, orphan_firing, orphan_job, orphan_attempt, next_due.
        public let check: String
        public let message: String
        public var description: String { "\(check): \(message)" }
    }

    public struct Report: Sendable {
        public var findings: [Finding] = []
        public var tickets = 0
        public var firings = 0
        public var jobs = 0
        public var attempts = 0
        /// Tickets whose next-due instant was compared with a re-evaluation.
        public var reevaluated = 0
        /// Why the next-due comparison was not made, when it was not.
        public var skipped: String?
        public var ok: Bool { findings.isEmpty }
    }

    /// Checks the database in `folder`. With `engine`, every ticket that is open or has a next-due
    /// instant is evaluated at `now` with its firings, as the scan does, and its stored next-due instant is
    /// compared: due steps need a next-due instant at or before now (else they would never fire), and
    /// otherwise the stored instant, when still ahead, must be the evaluation's. `rulesVersion` is the
    /// version of the rules behind `engine`: when the daemon last ran other rules it re-evaluates at
    /// its next start, and the comparison is skipped.
    public static func run(folder: String, engine: Engine?, rulesVersion: String?, now: Instant,
                           limit: Int = 20) throws(StoreBackup.Failure) -> Report {
        let path = StoreBackup.databasePath(folder: folder)
        if let failure = StoreBackup.unreadableDatabase(folder: folder) { throw failure }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let migrator = Schema.migrator
                let applied = try migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(migrator.migrations)
                if !unknown.isEmpty { throw StoreOpenFailure.newerSchema(path: path, unknown: unknown.sorted()) }
                if applied.count < migrator.migrations.count {
                    throw StoreBackup.Failure.unusable("'\(path)' is at an older schema (\(applied.count) of \(migrator.migrations.count) migrations): start slad once on it to migrate it, then check")
                }
                var report = Report()
                try invariants(db, into: &report, limit: limit)
                if let engine {
                    let ran = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'rules_version'")
                    if let rulesVersion, let ran, ran != rulesVersion {
                        report.skipped = "the daemon last ran rules \(ran), these are \(rulesVersion): it re-evaluates every open ticket at its next start"
                    } else {
                        try nextDue(db, engine: engine, now: now, into: &report, limit: limit)
                    }
                } else {
                    report.skipped = "no rules given"
                }
                return report
            }
        } catch let failure as StoreBackup.Failure {
            throw failure
        } catch let failure as StoreOpenFailure {
            throw .unusable(failure.description)
        } catch {
            throw .failed("cannot check '\(path)': \(error)")
        }
    }

    static func invariants(_ db: Database, into report: inout Report, limit: Int) throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        if problems != ["ok"] {
            report.findings += problems.prefix(limit).map { Finding(check: "integrity", message: $0) }
        }
        for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").prefix(limit) {
            report.findings.append(Finding(check: "foreign_key", message: "\(row[0] as String? ?? "?") row \(row[1] as Int64? ?? 0) points at a missing \(row[2] as String? ?? "?") row"))
        }
        report.tickets = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") ?? 0
        report.firings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM firing") ?? 0
        report.jobs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
        report.attempts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery_attempt") ?? 0
        let orphans: [(check: String, sql: String, what: (Row) -> String)] = [
            ("orphan_firing", """
             SELECT id, ticket_id FROM firing f WHERE subject = 'ticket' AND NOT EXISTS (SELECT 1 FROM ticket t WHERE t.id = f.ticket_id)
             UNION ALL
             SELECT id, ticket_id FROM firing f WHERE subject = 'incident' AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.id = f.ticket_id)
             ORDER BY 1
             """, { "firing \($0[0] as Int64) names \($0[1] as String), which does not exist" }),
            ("orphan_job", "SELECT id, firing_id FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM firing f WHERE f.id = o.firing_id) ORDER BY id",
             { "outbox job \($0[0] as Int64) belongs to firing \($0[1] as Int64), which does not exist" }),
            ("orphan_attempt", "SELECT id, outbox_id FROM delivery_attempt a WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = a.outbox_id) ORDER BY id",
             { "delivery attempt \($0[0] as Int64) belongs to outbox job \($0[1] as Int64), which does not exist" }),
        ]
        for orphan in orphans {
            let rows = try Row.fetchAll(db, sql: orphan.sql + " LIMIT \(limit + 1)")
            report.findings += rows.prefix(limit).map { Finding(check: orphan.check, message: orphan.what($0)) }
            if rows.count > limit { report.findings.append(Finding(check: orphan.check, message: "and more")) }
        }
    }

    static func nextDue(_ db: Database, engine: Engine, now: Instant, into report: inout Report, limit: Int) throws {
        var after = ""
        var found = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, next_due FROM ticket WHERE (status != 'closed' OR next_due IS NOT NULL) AND id > ? ORDER BY id LIMIT 500
                """, arguments: [after])
            guard let last = rows.last else { return }
            after = last[0]
            for row in rows {
                let id: String = row[0]
                let stored = (row[1] as Int?).map(Instant.init(seconds:))
                guard let ticket = try SQLiteTicketStore.load(db, id: id) else { continue }
                let fired = try SQLiteTicketStore.firings(db, ticket: id).map(\.firing)
                let evaluation = engine.evaluate(ticket.ticket, at: now, fired: fired)
                report.reevaluated += 1
                var problem: String?
                if !evaluation.due.isEmpty {
                    if stored == nil || stored! > now {
                        let steps = evaluation.due.map { "\($0.firing.policy)/\($0.firing.step)" }.joined(separator: ", ")
                        problem = "ticket \(id) has due steps (\(steps)) but its next-due instant is \(stored.map { "\($0.seconds)" } ?? "empty"): they would never fire"
                    }
                } else if let stored, stored <= now {
                    // Due by the stored instant: the next scan looks at it and stores the evaluation's.
                } else if stored != evaluation.nextDue {
                    problem = "ticket \(id): next-due instant \(stored.map { "\($0.seconds)" } ?? "empty"), a re-evaluation says \(evaluation.nextDue.map { "\($0.seconds)" } ?? "empty")"
                }
                if let problem {
                    found += 1
                    if found <= limit { report.findings.append(Finding(check: "next_due", message: problem)) }
                    if found == limit + 1 { report.findings.append(Finding(check: "next_due", message: "and more")) }
                }
            }
        }
    }
}
