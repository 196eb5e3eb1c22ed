import GRDB
import SLAEngine
import SLAFormats
import SLARules
import SLAScan

/// A KPI group's stored alarm: the open one (nil when none is open) and the last sequence number used.
public struct StoredKPIAlarm: Sendable, Hashable {
    public let state: KPIAlarmState?
    public let sequence: Int
}

/// What one KPI refresh decided for one group: the alarm to store and the notice to send, if any.
public struct KPIAlarmOutcome: Sendable {
    public let kpi: KPI
    public let value: KPIGroupValue
    public let state: KPIAlarmState?
    /// The alarm before the refresh (its `since` is quoted in a repeat; its sequence in an all-clear).
    public let previous: StoredKPIAlarm?
    public let notice: KPIAlarmNotice?

    public init(kpi: KPI, value: KPIGroupValue, state: KPIAlarmState?, previous: StoredKPIAlarm?, notice: KPIAlarmNotice?) {
        self.kpi = kpi
        self.value = value
        self.state = state
        self.previous = previous
        self.notice = notice
    }
}

/// The store's side of the KPIs (issue 14): the tickets the KPI service reads, and its alarms, whose
/// notices go through the outbox exactly once (a firing per notice, keyed by the alarm's sequence).
extension SQLiteTicketStore {
    /// The tickets the KPIs look at, with their histories: without `updatedSince`, those created at or
    /// after `createdSince` or not closed; with it, every ticket changed at or after it; and the newest `updated_at` seen, to
    /// pass as the next `updatedSince`.
    /// `createdBefore` leaves out tickets created at or after it (a report of a past period).
    public func kpiTickets(updatedSince: Int?, createdSince: Int, createdBefore: Int = Int.max) async throws -> (tickets: [Ticket], watermark: Int?) {
        try await pool.read { db in
            // A later look returns every ticket changed since, however old: an old open ticket that was
            // closed meanwhile must replace its facts, or the KPIs would count it open for good.
            let selection = updatedSince == nil
                ? "FROM ticket WHERE created_at < ? AND (created_at >= ? OR status != 'closed')"
                : "FROM ticket WHERE created_at < ? AND updated_at >= ?"
            let arguments: StatementArguments = [createdBefore, updatedSince ?? createdSince]
            var events: [String: [TicketEventRecord]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT ticket_id, kind, at, actor, note, changes, via, score FROM ticket_event
                WHERE ticket_id IN (SELECT id \(selection)) ORDER BY ticket_id, seq
                """, arguments: arguments) {
                events[row[0], default: []].append(try Self.event(row, offset: 1))
            }
            var watermark: Int?
            var tickets: [Ticket] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, fields, updated_at, repeat_of \(selection)", arguments: arguments) {
                let id: String = row[0]
                var ticket = Ticket(id: id, fields: try StoreJSON.readFields(row[1]), events: events[id] ?? [])
                ticket.repeatOf = row[3]
                tickets.append(ticket)
                watermark = max(watermark ?? Int.min, row[2])
            }
            return (tickets, watermark)
        }
    }

    /// Every KPI group's stored alarm, by KPI name and group ('' for the whole company).
    public func kpiAlarms() async throws -> [String: [String: StoredKPIAlarm]] {
        try await pool.read { db in
            var alarms: [String: [String: StoredKPIAlarm]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM kpi_alarm") {
                let open: Bool = row["open"]
                let state = open ? KPIAlarmState(level: KPILevel(rawValue: row["level"]) ?? .warning, sequence: row["sequence"],
                                                 since: Instant(seconds: row["since"]), lastSent: Instant(seconds: row["last_sent"]),
                                                 sent: row["sent"], lastValue: row["last_value"]) : nil
                alarms[row["kpi"], default: [:]][row["grp"]] = StoredKPIAlarm(state: state, sequence: row["sequence"])
            }
            return alarms
        }
    }

    /// Stores each group's alarm and enqueues its notice, all in one transaction; a notice whose firing
    /// is already recorded (a refresh repeated after a crash) is skipped. Returns the outbox rows written.
    @discardableResult
    public func recordKPIAlarms(_ outcomes: [KPIAlarmOutcome], engine: Engine, now: Instant) async throws -> Int {
        guard !outcomes.isEmpty else { return 0 }
        return try await pool.write { db in
            var report = ScanReport()
            for outcome in outcomes {
                let group = outcome.value.group ?? ""
                if let state = outcome.state {
                    try db.execute(sql: """
                        INSERT INTO kpi_alarm (kpi, grp, open, level, sequence, since, last_sent, sent, last_value, updated_at)
                        VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (kpi, grp) DO UPDATE SET open = 1, level = excluded.level, sequence = excluded.sequence,
                          since = excluded.since, last_sent = excluded.last_sent, sent = excluded.sent,
                          last_value = excluded.last_value, updated_at = excluded.updated_at
                        """, arguments: [outcome.kpi.name, group, state.level.rawValue, state.sequence, state.since.seconds,
                                         state.lastSent.seconds, state.sent, state.lastValue, now.seconds])
                } else if outcome.previous?.state != nil {
                    try db.execute(sql: "UPDATE kpi_alarm SET open = 0, last_value = ?, updated_at = ? WHERE kpi = ? AND grp = ?",
                                   arguments: [outcome.value.value, now.seconds, outcome.kpi.name, group])
                }
                guard let notice = outcome.notice else { continue }
                try Self.enqueueKPINotice(db, outcome, notice: notice, engine: engine, now: now, into: &report)
            }
            return report.outboxRows
        }
    }

    static func enqueueKPINotice(_ db: Database, _ outcome: KPIAlarmOutcome, notice: KPIAlarmNotice,
                                 engine: Engine, now: Instant, into report: inout ScanReport) throws {
        let kpi = outcome.kpi
        let subjectID = outcome.value.group.map { "\(kpi.name)@\($0)" } ?? kpi.name
        let step = notice.step
        let (sequence, index): (Int, Int) = switch notice {
        case .entered, .repeated: (outcome.state?.sequence ?? 0, outcome.state?.sent ?? 0)
        case .cleared: (outcome.previous?.sequence ?? 0, 0)
        }
        guard let recipients = engine.recipients(forKPI: kpi, group: outcome.value.group, at: now) else { return }
        try db.execute(sql: """
            INSERT INTO firing (subject, ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached)
            VALUES ('kpi', ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?) ON CONFLICT DO NOTHING
            """, arguments: [subjectID, "kpi:\(kpi.name)", step, sequence, index, now.seconds, now.seconds,
                             StoreJSON.strings(recipients.people), StoreJSON.strings(recipients.unreached.map(\.description))])
        guard db.changesCount == 1 else {
            report.duplicatesSkipped += 1
            return
        }
        let text = KPINoticeMessage.text(kpi: kpi, value: outcome.value, notice: notice, since: outcome.previous?.state?.since,
                                         rules: engine.rules, zone: engine.displayZone)
        let title = KPINoticeMessage.title(kpi: kpi, value: outcome.value, notice: notice, rules: engine.rules)
        let jobs = ScanDecision.jobs(recipients, message: MessageParts(text: text, actionsAt: nil), title: title)
        try insertJobs(db, firing: db.lastInsertedRowID, subject: .kpi, id: subjectID, jobs: jobs, links: nil, now: now)
        report.outboxRows += jobs.count
        for problem in recipients.unreached { report.unreached.append((subjectID, step, problem.description)) }
    }
}
