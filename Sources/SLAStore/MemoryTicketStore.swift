import Foundation
import SLAEngine
import SLARules
import SLAScan

/// The escalation contract (`EscalationStore`) held in memory, behind one lock: each call is one
/// "transaction" (it runs whole under the lock, so nothing sees it half done). It applies the same
/// `ScanPlan` as SQLite, with the same unique firing key, so that `StoreContractTests` can hold both to
/// one behaviour, and the scan's decision can be tested without a file.
///
/// Not in it (SQLite only, docs/adr/0030): routing of tickets without an assignee, repeat marking, action
/// links (no `LinkMinter`: notices carry none), audit rows, intake, batches, the 看板's reads and the
/// operator's outbox actions. Nothing survives the process: it is for tests and tools, not for `slad serve`.
public final class MemoryTicketStore: EscalationStore, @unchecked Sendable {
    private let lock = NSLock()
    private var state = State()

    public init() {}

    struct TicketRow {
        var ticket: Ticket
        var status = "open"
        var policy: String?
        var cycle = 0
        var overdue = false
        var nextDue: Instant?
        var updatedAt: Instant
        var incidentID: String?
        /// Creation order: breaks ties between equal next-due instants, as SQLite's index does by rowid.
        let order: Int
    }

    struct IncidentRow {
        var incident: Incident
        var status = "open"
        var level: IncidentLevel
        let origin: String?
        var nextDue: Instant?
        var updatedAt: Instant
        let order: Int
    }

    /// A firing's natural key: the unique key the SQLite table has.
    struct FiringKey: Hashable {
        let subject: FiringSubject
        let id: String
        let firing: Firing
    }

    struct State {
        var tickets: [String: TicketRow] = [:]
        var idempotency: [String: String] = [:]
        var incidents: [String: IncidentRow] = [:]
        var firings: [FiringRecord] = []
        var firingKeys: [FiringKey: Int64] = [:]
        /// Index `id - 1`: ids are handed out in order and never reused.
        var outbox: [OutboxJob] = []
        var order = 0
    }

    private func locked<T>(_ body: (inout State) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    // MARK: Tickets

    public func create(_ ticket: Ticket, idempotencyKey: String?, actor: String?, engine: Engine, now: Instant) async throws -> (StoredTicket, created: Bool) {
        try locked { state in
            if let key = idempotencyKey, let existing = state.idempotency[key], let row = state.tickets[existing] {
                return (Self.stored(row), false)
            }
            if state.tickets[ticket.id] != nil { throw StoreError.duplicateTicket(ticket.id) }
            for event in ticket.events { try SQLiteTicketStore.checkScore(event) }
            state.order += 1
            var row = TicketRow(ticket: ticket, updatedAt: now, order: state.order)
            let evaluation = engine.evaluate(ticket, at: now, fired: [])
            Self.update(&row, evaluation, nextDue: evaluation.due.isEmpty ? evaluation.nextDue : now, now: now)
            state.tickets[ticket.id] = row
            if let key = idempotencyKey { state.idempotency[key] = ticket.id }
            try Self.linkNewTicket(&state, ticket, engine: engine, now: now)
            return (Self.stored(state.tickets[ticket.id]!), true)
        }
    }

    public func ticket(_ id: String) async throws -> StoredTicket? {
        locked { state in state.tickets[id].map(Self.stored) }
    }

    public func firings(of id: String) async throws -> [FiringRecord] {
        locked { state in state.firings.filter { $0.subject == .ticket && $0.ticketID == id } }
    }

    public func append(_ event: TicketEventRecord, to id: String, engine: Engine, now: Instant) async throws -> StoredTicket {
        try locked { state in
            try SQLiteTicketStore.checkScore(event)
            guard var row = state.tickets[id] else { throw StoreError.unknownTicket(id) }
            let status = engine.fields(of: row.ticket, at: max(now, event.at)).status
            if let refusal = TicketLifecycle.refusal(of: event.kind, status: status) { throw StoreError.refused(refusal) }
            row.ticket = row.ticket.appending(event)
            state.tickets[id] = row
            Self.refresh(&state, ticket: id, engine: engine, now: now)
            return Self.stored(state.tickets[id]!)
        }
    }

    // MARK: The scan

    /// Reads what SQLite reads, lets `ScanDecision` decide, and applies the plan, all under the lock.
    public func scan(engine: Engine, now: Instant, limit: Int) async throws -> ScanReport {
        locked { state in Self.apply(Self.decide(state, engine: engine, now: now, limit: limit), &state, now: now) }
    }

    /// One plan, decided from what is stored now, applied `times` times under one lock: what scanners that
    /// read the same rows before any of them wrote would do (a scan redone after a crash, or a second
    /// instance). For tests of the unique firing key; the reports in order.
    func applyingOnePlan(times: Int, engine: Engine, now: Instant, limit: Int) -> [ScanReport] {
        locked { state in
            let plan = Self.decide(state, engine: engine, now: now, limit: limit)
            return (0..<times).map { _ in Self.apply(plan, &state, now: now) }
        }
    }

    static func decide(_ state: State, engine: Engine, now: Instant, limit: Int) -> ScanPlan {
        let incidents = state.incidents.values.filter { $0.nextDue.map { $0 <= now } ?? false }
            .sorted { ($0.nextDue!, $0.order) < ($1.nextDue!, $1.order) }.prefix(limit)
            .map { DueIncident(incident: $0.incident, fired: Self.fired(state, .incident, $0.incident.id)) }
        let open = Set(state.incidents.values.filter { $0.status == "open" }.map(\.incident.id))
        let tickets = state.tickets.values.filter { $0.nextDue.map { $0 <= now } ?? false }
            .sorted { ($0.nextDue!, $0.order) < ($1.nextDue!, $1.order) }.prefix(limit)
            .map { DueTicket(ticket: $0.ticket, wasOverdue: $0.overdue, incidentID: $0.incidentID, fired: Self.fired(state, .ticket, $0.ticket.id)) }
        return ScanDecision.decide(ScanInput(incidents: Array(incidents), tickets: Array(tickets), openIncidents: open, withLinks: false),
                                   engine: engine, now: now)
    }

    static func apply(_ plan: ScanPlan, _ state: inout State, now: Instant) -> ScanReport {
        var report = ScanReport()
        for outcome in plan.incidents {
            switch outcome {
            case let .planGone(id):
                state.incidents[id]?.nextDue = nil
                state.incidents[id]?.updatedAt = now
            case let .evaluated(incident, evaluation, firings):
                report.incidentsEvaluated += 1
                for firing in firings { record(firing, &state, now: now, into: &report) }
                updateIncident(&state, incident.id, evaluation, nextDue: evaluation.nextDue, now: now)
            }
        }
        for outcome in plan.tickets {
            report.evaluated += 1
            for firing in outcome.firings { record(firing, &state, now: now, into: &report) }
            if outcome.isBreach { report.breaches += 1 }
            if var row = state.tickets[outcome.ticket.id] {
                update(&row, outcome.evaluation, nextDue: outcome.nextDue, now: now)
                state.tickets[outcome.ticket.id] = row
            }
        }
        return report
    }

    /// One planned firing: refused when its key is recorded already (nothing of it written), else the
    /// firing and its jobs.
    static func record(_ planned: PlannedFiring, _ state: inout State, now: Instant, into report: inout ScanReport) {
        let key = FiringKey(subject: planned.subject, id: planned.subjectID, firing: planned.firing)
        guard state.firingKeys[key] == nil else {
            report.duplicatesSkipped += 1
            return
        }
        let id = Int64(state.firings.count + 1)
        state.firingKeys[key] = id
        state.firings.append(FiringRecord(id: id, ticketID: planned.subjectID, firing: planned.firing, dueAt: planned.dueAt, firedAt: now,
                                          lateness: planned.lateness, missed: planned.missed, people: planned.people,
                                          unreached: planned.unreached, heldBy: planned.heldBy, subject: planned.subject))
        for job in planned.jobs {
            var row = OutboxJob(id: Int64(state.outbox.count + 1), firingID: id, ticketID: planned.subjectID, channel: job.channel,
                                channelKind: job.kind,
                                recipients: job.recipients.map { OutboxJob.Recipient(person: $0.person, name: $0.name, address: $0.address) },
                                message: job.message, state: "pending", attempts: 0, createdAt: now)
            row.nextAttemptAt = now
            row.updatedAt = now
            row.subject = planned.subject
            row.title = job.title
            // The natural key's text as SQLite builds it (`outboxColumns`): the same job has the same key in every store.
            let separator = "\u{1F}"
            row.noticeKey = OutboxJob.noticeKey(naturalKey: [planned.subject.rawValue, planned.subjectID, planned.firing.policy,
                                                             planned.firing.step, String(planned.firing.cycle),
                                                             String(planned.firing.repeatIndex), job.channel].joined(separator: separator))
            state.outbox.append(row)
        }
        report.record(planned, id: id, now: now)
    }

    public func earliestDue() async throws -> Instant? {
        locked { state in
            (state.tickets.values.compactMap(\.nextDue) + state.incidents.values.compactMap(\.nextDue)).min()
        }
    }

    public func reevaluateAll(engine: Engine, now: Instant) async throws -> Int {
        locked { state in
            for (id, row) in state.incidents where row.status == "open" {
                Self.refreshIncident(&state, id, engine: engine, now: now)
            }
            let open = state.tickets.values.filter { $0.status != "closed" }.map(\.ticket.id)
            for id in open { Self.refresh(&state, ticket: id, engine: engine, now: now) }
            return open.count
        }
    }

    // MARK: The outbox

    public func outbox(state wanted: String?, limit: Int) async throws -> [OutboxJob] {
        locked { state in Array(state.outbox.filter { wanted == nil || $0.state == wanted }.prefix(limit)) }
    }

    public func dueOutbox(now: Instant, limit: Int, excluding: Set<Int64>, skippingChannels: Set<String>) async throws -> [OutboxJob] {
        locked { state in
            Array(state.outbox.filter { $0.state == "pending" && $0.nextAttemptAt <= now && !excluding.contains($0.id) && !skippingChannels.contains($0.channel) }
                .sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }.prefix(limit))
        }
    }

    @discardableResult
    public func recordAttempt(_ attempt: DeliveryAttempt, now: Instant) async throws -> OutboxJob? {
        locked { state in
            let index = Int(attempt.outboxID) - 1
            guard state.outbox.indices.contains(index) else { return nil }
            var job = state.outbox[index]
            // A job an operator dropped while it was in flight stays dropped; a sent one stays sent.
            guard job.state == "pending" else { return job }
            let next = switch attempt.result { case .sent: "sent"; case .retry: "pending"; case .dead: "dead" }
            job = OutboxJob(id: job.id, firingID: job.firingID, ticketID: job.ticketID, channel: job.channel, channelKind: job.channelKind,
                            recipients: job.recipients, message: job.message,
                            state: next,
                            attempts: job.attempts + 1, createdAt: job.createdAt, nextAttemptAt: attempt.nextAttempt ?? now,
                            lastError: attempt.result == .sent ? nil : attempt.detail, updatedAt: now, subject: job.subject, title: job.title,
                            actions: job.actions, actionsAt: job.actionsAt, noticeKey: job.noticeKey)
            state.outbox[index] = job
            return job
        }
    }

    public func outboxJob(_ id: Int64) async throws -> OutboxJob? {
        locked { state in state.outbox.indices.contains(Int(id) - 1) ? state.outbox[Int(id) - 1] : nil }
    }

    public func pendingOutbox(ticket id: String) async throws -> [OutboxJob] {
        locked { state in state.outbox.filter { $0.subject == .ticket && $0.ticketID == id && $0.state == "pending" } }
    }

    // MARK: Incidents

    public func openIncident(_ incident: Incident, actor: String?, engine: Engine, now: Instant) async throws -> StoredIncident {
        try locked { state in
            try Self.declare(&state, incident, origin: nil, engine: engine, now: now)
            return Self.storedIncident(state, incident.id)!
        }
    }

    public func incident(_ id: String) async throws -> StoredIncident? {
        locked { state in Self.storedIncident(state, id) }
    }

    public func append(_ event: IncidentEvent, toIncident id: String, engine: Engine, now: Instant) async throws -> StoredIncident {
        try locked { state in
            guard let row = state.incidents[id] else { throw StoreError.unknownIncident(id) }
            guard let evaluation = engine.evaluate(row.incident, at: now) else {
                throw StoreError.refused("incident '\(id)' runs plan '\(row.incident.plan)', which the rules no longer have")
            }
            let plan = engine.rules.plans.first { $0.name == row.incident.plan }
            if let refusal = IncidentLifecycle.refusal(of: event, evaluation: evaluation, plan: plan, id: id, zone: engine.displayZone) {
                throw StoreError.refused(refusal)
            }
            var event = event
            if event.kind == .confirmed, event.owner == nil, let step = event.step, let actor = event.actor {
                // As SQLite's `ownerIfNotActor`: the people the step's `assigned` notice reached, when the actor is none of them.
                let owners = state.firings.filter { $0.subject == .incident && $0.ticketID == id && $0.firing.step == Firing.noticeStep(.assigned, step) }
                    .flatMap(\.people)
                let names = Set(owners + owners.compactMap { engine.rules.people[$0]?.displayName })
                if !owners.isEmpty, !names.contains(actor) { event.owner = owners.joined(separator: ", ") }
            }
            var incident = row.incident.appending(event)
            if event.kind == .confirmed, let after = engine.evaluate(incident, at: now), after.steps.allSatisfy({ $0.state == .confirmed }) {
                incident.append(IncidentEvent(kind: .closed, at: event.at, actor: "slad", note: "全部步骤已确认 all steps confirmed"))
            }
            state.incidents[id]?.incident = incident
            Self.refreshIncident(&state, id, engine: engine, now: now)
            return Self.storedIncident(state, id)!
        }
    }

    public func earliestIncidentDue() async throws -> Instant? {
        locked { state in state.incidents.values.compactMap(\.nextDue).min() }
    }

    // MARK: Inside the lock

    static func stored(_ row: TicketRow) -> StoredTicket {
        StoredTicket(ticket: row.ticket, status: row.status, policy: row.policy, cycle: row.cycle, overdue: row.overdue,
                     nextDue: row.nextDue, updatedAt: row.updatedAt, incidentID: row.incidentID)
    }

    static func storedIncident(_ state: State, _ id: String) -> StoredIncident? {
        guard let row = state.incidents[id] else { return nil }
        let linked = state.tickets.values.filter { $0.incidentID == id }.map(\.ticket.id).sorted()
        return StoredIncident(incident: row.incident, status: row.status, level: row.level, originTicket: row.origin,
                              nextDue: row.nextDue, linkedTickets: linked)
    }

    static func fired(_ state: State, _ subject: FiringSubject, _ id: String) -> [Firing] {
        state.firings.filter { $0.subject == subject && $0.ticketID == id }.map(\.firing)
    }

    static func update(_ row: inout TicketRow, _ evaluation: Evaluation, nextDue: Instant?, now: Instant) {
        row.status = evaluation.status
        row.policy = evaluation.policy
        row.cycle = evaluation.cycle
        row.overdue = SQLiteTicketStore.overdue(evaluation)
        row.nextDue = nextDue
        row.updatedAt = now
    }

    /// As SQLite's `refresh`: steps due now make the ticket due now, so the next scan fires them.
    static func refresh(_ state: inout State, ticket id: String, engine: Engine, now: Instant) {
        guard var row = state.tickets[id] else { return }
        let evaluation = engine.evaluate(row.ticket, at: now, fired: fired(state, .ticket, id))
        update(&row, evaluation, nextDue: evaluation.due.isEmpty ? evaluation.nextDue : now, now: now)
        state.tickets[id] = row
    }

    static func refreshIncident(_ state: inout State, _ id: String, engine: Engine, now: Instant) {
        guard let row = state.incidents[id], let evaluation = engine.evaluate(row.incident, at: now, fired: fired(state, .incident, id)) else { return }
        updateIncident(&state, id, evaluation, nextDue: evaluation.due.isEmpty ? evaluation.nextDue : now, now: now)
    }

    static func updateIncident(_ state: inout State, _ id: String, _ evaluation: IncidentEvaluation, nextDue: Instant?, now: Instant) {
        state.incidents[id]?.level = evaluation.level
        state.incidents[id]?.status = evaluation.isClosed ? "closed" : "open"
        state.incidents[id]?.nextDue = nextDue
        state.incidents[id]?.updatedAt = now
    }

    /// As SQLite's `declare`: the incident, due now, and the open tickets it explains linked to it.
    static func declare(_ state: inout State, _ incident: Incident, origin: String?, engine: Engine, now: Instant) throws {
        guard let plan = engine.rules.plans.first(where: { $0.name == incident.plan }) else {
            throw StoreError.refused("no plan '\(incident.plan)'; the plans are \(engine.rules.plans.map(\.name).joined(separator: ", "))")
        }
        if state.incidents[incident.id] != nil { throw StoreError.duplicateIncident(incident.id) }
        state.order += 1
        state.incidents[incident.id] = IncidentRow(incident: incident, level: incident.events[0].level ?? plan.level, origin: origin,
                                                   nextDue: now, updatedAt: now, order: state.order)
        if let origin { state.tickets[origin]?.incidentID = incident.id }
        // A drill explains no resident's ticket: the residents' problems are real.
        guard !incident.isDrill, plan.covers != nil else { return }
        for (id, row) in state.tickets where row.status != "closed" && row.incidentID == nil {
            if let site = incident.site, row.ticket.fields.site != site { continue }
            if engine.explainingIncident(for: row.ticket, among: [incident], at: now) != nil { state.tickets[id]?.incidentID = incident.id }
        }
    }

    /// As SQLite's `linkNewTicket`: an open incident that explains the new ticket takes it; else the plan its
    /// report calls for is declared (or the one of that plan open for the same place takes it).
    static func linkNewTicket(_ state: inout State, _ ticket: Ticket, engine: Engine, now: Instant) throws {
        let open = state.incidents.values.filter { $0.status == "open" && !$0.incident.isDrill }.sorted { $0.order < $1.order }.map(\.incident)
        if let explaining = engine.explainingIncident(for: ticket, among: open, at: now) {
            state.tickets[ticket.id]?.incidentID = explaining.id
            return
        }
        guard let plan = engine.planTriggered(by: ticket, at: now) else { return }
        let (fields, _) = engine.fields(of: ticket, at: now)
        if let same = open.first(where: { $0.plan == plan.name && $0.site == fields.site && $0.building == fields.building }) {
            state.tickets[ticket.id]?.incidentID = same.id
            return
        }
        var id = "INC-\(ticket.id)"
        var suffix = 1
        while state.incidents[id] != nil {
            suffix += 1
            id = "INC-\(ticket.id)-\(suffix)"
        }
        let incident = Incident(id: id, plan: plan.name, level: plan.level, openedAt: ticket.createdAt, site: fields.site,
                                building: fields.building, by: fields.reporter ?? "ticket \(ticket.id)")
        try declare(&state, incident, origin: ticket.id, engine: engine, now: now)
    }
}
