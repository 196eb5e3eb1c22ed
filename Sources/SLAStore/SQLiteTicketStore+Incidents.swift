import GRDB
import SLAEngine
import SLAFormats
import SLARules

/// Incidents: declaration, confirmations, raises, closing, their notices, and the tickets they explain.
extension SQLiteTicketStore {
    public func openIncident(_ incident: Incident, actor: String?, engine: Engine, now: Instant) async throws -> StoredIncident {
        try await auditedWrite { db in
            try Self.declare(db, incident, origin: nil, actor: actor, engine: engine, now: now)
            return try Self.loadIncident(db, id: incident.id)!
        }
    }

    public func incident(_ id: String) async throws -> StoredIncident? {
        try await pool.read { db in try Self.loadIncident(db, id: id) }
    }

    public func incidents(_ filter: IncidentFilter) async throws -> [StoredIncident] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let plan = filter.plan { conditions.append("plan = ?"); arguments.append(plan) }
            if let status = filter.status { conditions.append("status = ?"); arguments.append(status) }
            if let drill = filter.drill { conditions.append("drill = ?"); arguments.append(drill) }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let ids = try String.fetchAll(db, sql: "SELECT id FROM incident \(whereClause) ORDER BY opened_at DESC, rowid DESC LIMIT ?",
                                          arguments: StatementArguments(arguments + [filter.limit]))
            return try ids.compactMap { try Self.loadIncident(db, id: $0) }
        }
    }

    public func append(_ event: IncidentEvent, toIncident id: String, engine: Engine, now: Instant) async throws -> StoredIncident {
        try await auditedWrite { db in try Self.append(db, event, toIncident: id, engine: engine, now: now) }
    }

    /// `append`, inside a transaction the caller holds (an action link's press). A confirmation by someone
    /// who was not told to do the step (not among the people its `assigned` notice reached) is allowed,
    /// and recorded with the step's owner alongside.
    static func append(_ db: Database, _ event: IncidentEvent, toIncident id: String, engine: Engine, now: Instant) throws -> StoredIncident {
        guard let stored = try Self.loadIncident(db, id: id) else { throw StoreError.unknownIncident(id) }
        guard let evaluation = engine.evaluate(stored.incident, at: now) else {
            throw StoreError.refused("incident '\(id)' runs plan '\(stored.incident.plan)', which the rules no longer have")
        }
        let plan = engine.rules.plans.first { $0.name == stored.incident.plan }
        if let refusal = IncidentLifecycle.refusal(of: event, evaluation: evaluation, plan: plan, id: id, zone: engine.displayZone) { throw StoreError.refused(refusal) }
        var event = event
        if event.kind == .confirmed, event.owner == nil, let step = event.step {
            event.owner = try Self.ownerIfNotActor(db, incident: id, step: step, actor: event.actor, engine: engine)
        }
        try Self.insert(event, seq: stored.incident.events.count, incident: id, db: db, now: now)
        var detail = [event.step, event.level?.rawValue, event.note].compactMap { $0 }.joined(separator: " ")
        if let via = event.via { detail += " via \(via)" }
        if let owner = event.owner { detail += " (owner \(owner))" }
        try Self.audit(db, now: now, actor: event.actor, action: "incident.\(event.kind.rawValue)", ticket: id, detail: detail)
        var incident = stored.incident.appending(event)
        // The last confirmation closes the incident: every step of its level is done.
        if event.kind == .confirmed, let after = engine.evaluate(incident, at: now), after.steps.allSatisfy({ $0.state == .confirmed }) {
            let closing = IncidentEvent(kind: .closed, at: event.at, actor: "slad", note: "全部步骤已确认 all steps confirmed")
            try Self.insert(closing, seq: incident.events.count, incident: id, db: db, now: now)
            incident.append(closing)
        }
        try Self.refreshIncident(db, incident, engine: engine, now: now)
        return try Self.loadIncident(db, id: id)!
    }

    /// The people a step's `assigned` notice reached, joined, when `actor` is none of them (by id or by
    /// display name); nil when the actor is one of them, is not named, or nobody was told (nothing to
    /// compare with).
    static func ownerIfNotActor(_ db: Database, incident: String, step: String, actor: String?, engine: Engine) throws -> String? {
        guard let actor else { return nil }
        let lists = try String.fetchAll(db, sql: """
            SELECT people FROM firing WHERE subject = 'incident' AND ticket_id = ? AND step = ?
            """, arguments: [incident, Firing.noticeStep(.assigned, step)])
        let owners = try lists.flatMap(StoreJSON.readStrings)
        guard !owners.isEmpty else { return nil }
        let names = Set(owners + owners.compactMap { engine.rules.people[$0]?.displayName })
        return names.contains(actor) ? nil : owners.joined(separator: ", ")
    }

    public func incidentDeliveries(_ id: String) async throws -> [IncidentDelivery] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.step, o.channel, o.recipients, f.fired_at, o.state, o.attempts,
                  (SELECT MIN(at) FROM delivery_attempt d WHERE d.outbox_id = o.id AND d.result = 'sent') AS delivered_at, o.last_error
                FROM outbox o JOIN firing f ON f.id = o.firing_id
                WHERE o.subject = 'incident' AND o.ticket_id = ? ORDER BY o.id
                """, arguments: [id]).map { row in
                let key: String = row[0]
                let (kind, step) = Firing.notice(inStep: key).map { ($0.kind.rawValue, $0.step) } ?? ("", key)
                let recipients = try StoreJSON.readRecipients(row[2]).map { $0.name ?? $0.person }
                var delivery = IncidentDelivery(kind: kind, step: step, channel: row[1], recipients: recipients, queuedAt: Instant(seconds: row[3]),
                                                state: row[4], deliveredAt: (row[6] as Int?).map(Instant.init(seconds:)), attempts: row[5])
                delivery.lastError = (row[4] as String) == "sent" ? nil : (row[7] as String?)
                return delivery
            }
        }
    }

    public func earliestIncidentDue() async throws -> Instant? {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT MIN(next_due) FROM incident WHERE next_due IS NOT NULL").map(Instant.init(seconds:))
        }
    }

    // MARK: Inside a transaction

    /// Stores a new incident and links the open tickets it explains (and the ticket that declared it).
    static func declare(_ db: Database, _ incident: Incident, origin: String?, actor: String?, engine: Engine, now: Instant) throws {
        guard let plan = engine.rules.plans.first(where: { $0.name == incident.plan }) else {
            throw StoreError.refused("no plan '\(incident.plan)'; the plans are \(engine.rules.plans.map(\.name).joined(separator: ", "))")
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM incident WHERE id = ?", arguments: [incident.id]) == true {
            throw StoreError.duplicateIncident(incident.id)
        }
        let level = incident.events[0].level ?? plan.level
        try db.execute(sql: """
            INSERT INTO incident (id, plan, drill, site, building, level, status, origin_ticket, opened_at, next_due, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)
            """, arguments: [incident.id, incident.plan, incident.isDrill, incident.site, incident.building, level.rawValue, origin,
                             incident.openedAt.seconds, now.seconds, now.seconds])
        for (seq, event) in incident.events.enumerated() {
            try insert(event, seq: seq, incident: incident.id, db: db, now: now)
        }
        try audit(db, now: now, actor: actor, action: incident.isDrill ? "drill.open" : "incident.open", ticket: incident.id,
                  detail: "\(incident.plan) level \(level.rawValue)")
        if let origin {
            try db.execute(sql: "UPDATE ticket SET incident_id = ? WHERE id = ?", arguments: [incident.id, origin])
        }
        // A drill explains no resident's ticket: the residents' problems are real.
        guard !incident.isDrill, plan.covers != nil else { return }
        var sql = "SELECT id FROM ticket WHERE status != 'closed' AND incident_id IS NULL"
        var arguments: [any DatabaseValueConvertible] = []
        if let site = incident.site { sql += " AND site = ?"; arguments.append(site) }
        for id in try String.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) {
            guard let stored = try load(db, id: id), engine.explainingIncident(for: stored.ticket, among: [incident], at: now) != nil else { continue }
            try db.execute(sql: "UPDATE ticket SET incident_id = ? WHERE id = ?", arguments: [incident.id, id])
        }
    }

    /// After a ticket is created: links it to an open incident that explains it, or declares the incident
    /// its report calls for (a plan's `when`), unless one of that plan is already open for the same place.
    static func linkNewTicket(_ db: Database, _ ticket: Ticket, engine: Engine, now: Instant) throws {
        let open = try String.fetchAll(try db.cachedStatement(sql: "SELECT id FROM incident WHERE status = 'open' AND drill = 0 ORDER BY opened_at, rowid"))
            .compactMap { try loadIncident(db, id: $0) }
        if let explaining = engine.explainingIncident(for: ticket, among: open.map(\.incident), at: now) {
            try db.execute(sql: "UPDATE ticket SET incident_id = ? WHERE id = ?", arguments: [explaining.id, ticket.id])
            return
        }
        guard let plan = engine.planTriggered(by: ticket, at: now) else { return }
        let (fields, _) = engine.fields(of: ticket, at: now)
        if let same = open.first(where: { $0.incident.plan == plan.name && $0.incident.site == fields.site && $0.incident.building == fields.building }) {
            try db.execute(sql: "UPDATE ticket SET incident_id = ? WHERE id = ?", arguments: [same.incident.id, ticket.id])
            return
        }
        var id = "INC-\(ticket.id)"
        var suffix = 1
        while try Bool.fetchOne(db, sql: "SELECT 1 FROM incident WHERE id = ?", arguments: [id]) == true {
            suffix += 1
            id = "INC-\(ticket.id)-\(suffix)"
        }
        let incident = Incident(id: id, plan: plan.name, level: plan.level, openedAt: ticket.createdAt, site: fields.site,
                                building: fields.building, by: fields.reporter ?? "ticket \(ticket.id)")
        try declare(db, incident, origin: ticket.id, actor: "slad", engine: engine, now: now)
    }

    static func insert(_ event: IncidentEvent, seq: Int, incident: String, db: Database, now: Instant) throws {
        try db.execute(sql: """
            INSERT INTO incident_event (incident_id, seq, kind, at, actor, level, step, note, recorded_at, via, owner)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [incident, seq, event.kind.rawValue, event.at.seconds, event.actor, event.level?.rawValue, event.step,
                             event.note, now.seconds, event.via, event.owner])
    }

    static func refreshIncident(_ db: Database, _ incident: Incident, engine: Engine, now: Instant) throws {
        let fired = try incidentFirings(db, id: incident.id)
        guard let evaluation = engine.evaluate(incident, at: now, fired: fired) else { return }
        try updateIncident(db, incident, evaluation: evaluation, nextDue: evaluation.due.isEmpty ? evaluation.nextDue : now, now: now)
    }

    static func updateIncident(_ db: Database, _ incident: Incident, evaluation: IncidentEvaluation, nextDue: Instant?, now: Instant) throws {
        let closedAt = incident.events.first { $0.kind == .closed }?.at
        try db.execute(sql: """
            UPDATE incident SET level = ?, status = ?, closed_at = ?, next_due = ?, updated_at = ? WHERE id = ?
            """, arguments: [evaluation.level.rawValue, evaluation.isClosed ? "closed" : "open", closedAt?.seconds, nextDue?.seconds,
                             now.seconds, incident.id])
    }

    static func incidentFirings(_ db: Database, id: String) throws -> [Firing] {
        try Row.fetchAll(db, sql: "SELECT policy, step, cycle, repeat_index FROM firing WHERE subject = 'incident' AND ticket_id = ?",
                         arguments: [id]).map { Firing(policy: $0[0], step: $0[1], cycle: $0[2], repeatIndex: $0[3]) }
    }

    static func loadIncident(_ db: Database, id: String) throws -> StoredIncident? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM incident WHERE id = ?", arguments: [id]) else { return nil }
        let events = try Row.fetchAll(db, sql: "SELECT kind, at, actor, level, step, note, via, owner FROM incident_event WHERE incident_id = ? ORDER BY seq",
                                      arguments: [id]).map { row in
            IncidentEvent(kind: IncidentEvent.Kind(rawValue: row[0]) ?? .opened, at: Instant(seconds: row[1]), actor: row[2],
                          level: (row[3] as String?).flatMap(IncidentLevel.init(rawValue:)), step: row[4], note: row[5],
                          via: row[6], owner: row[7])
        }
        guard let opened = events.first else { return nil }
        var incident = Incident(id: id, plan: row["plan"], level: opened.level ?? .III, openedAt: opened.at, isDrill: row["drill"],
                                site: row["site"], building: row["building"], by: opened.actor)
        for event in events.dropFirst() { incident.append(event) }
        let linked = try String.fetchAll(db, sql: "SELECT id FROM ticket WHERE incident_id = ? ORDER BY id", arguments: [id])
        return StoredIncident(incident: incident, status: row["status"], level: IncidentLevel(rawValue: row["level"]) ?? .III,
                              originTicket: row["origin_ticket"], nextDue: (row["next_due"] as Int?).map(Instant.init(seconds:)),
                              linkedTickets: linked)
    }
}

/// What an operator may do to an incident in the state it is in.
enum IncidentLifecycle {
    static func refusal(of event: IncidentEvent, evaluation: IncidentEvaluation, plan: Plan?, id: String, zone: ZoneTable) -> String? {
        if evaluation.isClosed { return "incident '\(id)' is closed" }
        switch event.kind {
        case .opened:
            return "incident '\(id)' is already open"
        case .confirmed:
            guard let name = event.step else { return "say which step is confirmed" }
            let names = evaluation.steps.map(\.name).joined(separator: ", ")
            guard let step = evaluation.steps.first(where: { $0.name == name }) else {
                if let planStep = plan?.steps.first(where: { $0.name == name }), let level = planStep.minimumLevel {
                    return "step '\(name)' belongs to the plan only at level \(level.rawValue) or above, and incident '\(id)' is at level \(evaluation.level.rawValue) (raise it first); its steps now are \(names)"
                }
                let hint = Suggestion.closest(to: name, in: evaluation.steps.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
                return "plan '\(evaluation.plan)' has no step '\(name)'; \(hint)the steps of incident '\(id)' are \(names)"
            }
            if step.state == .confirmed, let at = step.confirmedAt {
                return "step '\(name)' was already confirmed at \(zone.format(at))\(step.confirmedBy.map { " by \($0)" } ?? ""); the steps still open are \(evaluation.steps.filter { $0.state != .confirmed }.map(\.name).joined(separator: ", "))"
            }
            return nil
        case .raised:
            guard let level = event.level else { return "say the new level: I, II or III" }
            return level > evaluation.level ? nil
                : "incident '\(id)' is at level \(evaluation.level.rawValue); a raise must go to a more serious level (III → II → I)"
        case .closed:
            return (event.note ?? "").isEmpty ? "say why the incident is closed (a reason)" : nil
        }
    }
}
