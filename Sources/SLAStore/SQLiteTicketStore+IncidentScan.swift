import GRDB
import SLAEngine
import SLAFormats
import SLARules

/// The incident half of the scan, in the scan's transaction: each due incident's notices become firings
/// and outbox rows exactly once (the firing's unique key), like a ticket's escalations.
extension SQLiteTicketStore {
    static func scanIncidents(_ db: Database, engine: Engine, now: Instant, limit: Int, minter: LinkMinter?,
                              into report: inout ScanReport) throws {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM incident WHERE next_due <= ? ORDER BY next_due LIMIT ?",
                                      arguments: [now.seconds, limit])
        for id in ids {
            guard let stored = try loadIncident(db, id: id) else { continue }
            let incident = stored.incident
            guard let evaluation = engine.evaluate(incident, at: now, fired: try incidentFirings(db, id: id)) else {
                // The plan left the rules: nothing can be evaluated until it comes back.
                try db.execute(sql: "UPDATE incident SET next_due = NULL, updated_at = ? WHERE id = ?", arguments: [now.seconds, id])
                continue
            }
            report.incidentsEvaluated += 1
            for notice in evaluation.due {
                // A step's owner is whoever was on duty when the step came in (the declaration or the raise),
                // even when this scan runs later; an overdue notice reaches whoever is on duty now.
                let recipients = engine.recipients(for: notice, of: incident, at: notice.kind == .assigned ? notice.dueAt : now)
                let message = MessageComposer.messageParts(engine: engine, incident: incident, evaluation: evaluation, notice: notice, at: now)
                try db.execute(sql: """
                    INSERT INTO firing (subject, ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached)
                    VALUES ('incident', ?, ?, ?, 0, 0, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING
                    """, arguments: [id, notice.firing.policy, notice.firing.step, notice.dueAt.seconds, now.seconds,
                                     max(0, now - notice.dueAt), StoreJSON.strings(recipients.people),
                                     StoreJSON.strings(recipients.unreached.map(\.description))])
                guard db.changesCount == 1 else {
                    report.duplicatesSkipped += 1
                    continue
                }
                let firingID = db.lastInsertedRowID
                let links = minter.flatMap { minter in
                    evaluation.steps.first { $0.name == notice.step }.map { NoticeLinks.incidentStep(incident, step: $0, minter: minter) }
                }
                try enqueue(db, firing: firingID, subject: "incident", id: id, step: notice.firing.step, recipients: recipients,
                            message: message, links: links, now: now, into: &report)
                report.incidentNotices += 1
                report.fired.append(FiringRecord(id: firingID, ticketID: id, firing: notice.firing, dueAt: notice.dueAt, firedAt: now,
                                                 lateness: max(0, now - notice.dueAt), missed: 0, people: recipients.people,
                                                 unreached: recipients.unreached.map(\.description)))
            }
            try updateIncident(db, incident, evaluation: evaluation, nextDue: evaluation.nextDue, now: now)
        }
    }

    /// A ticket's due step while an open incident explains the ticket: recorded (so it never fires later)
    /// with the incident that held it, and nothing sent.
    static func recordHeld(_ db: Database, ticket: String, step: DueStep, incident: String, now: Instant, into report: inout ScanReport) throws {
        try db.execute(sql: """
            INSERT INTO firing (ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached, held_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?) ON CONFLICT DO NOTHING
            """, arguments: [ticket, step.firing.policy, step.firing.step, step.firing.cycle, step.firing.repeatIndex, step.dueAt.seconds,
                             now.seconds, step.lateness, step.missedRepeats, StoreJSON.strings(["held by incident \(incident)"]), incident])
        if db.changesCount == 1 { report.held += 1 } else { report.duplicatesSkipped += 1 }
    }
}
