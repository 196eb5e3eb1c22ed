import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SLAActions
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

/// The HTTP API under /v1/ (docs/api.md, docs/openapi.yaml), /healthz and /metrics.
public struct API: Sendable {
    let store: any TicketStore
    let rules: RulesHolder
    let clock: any WallClock
    let loop: EscalationLoop
    let metrics: DaemonMetrics?
    /// Tokens and roles (API+Access.swift, docs/security.md).
    let access: AccessPolicy
    let maxBody: Int
    /// Single creations share commits (`GroupCommit`).
    let intake: GroupCommit
    /// Where the access check logs each write with its token's name.
    public var logger = Logger(label: "slad")
    /// Action links' state, for /healthz (issue 13).
    public var links: LinkConfiguration?
    /// The KPIs the 看板 and /metrics show (issue 14): the KPI service's latest snapshot.
    public var kpis: KPIProvider = { .empty }
    /// The troubles the self-watch has raised (issue 15), for /healthz.
    public var selfWatch: SelfWatchStatus?

    public init(store: any TicketStore, rules: RulesHolder, clock: any WallClock, loop: EscalationLoop,
                metrics: DaemonMetrics?, configuration: DaemonConfiguration) {
        self.store = store
        self.rules = rules
        self.clock = clock
        self.loop = loop
        self.metrics = metrics
        access = configuration.accessPolicy
        maxBody = configuration.maxBodyBytes
        intake = GroupCommit(store: store, rules: rules, clock: clock)
    }

    /// Every route the server answers, as (method, path) — docs/openapi.yaml must list exactly these.
    public static let routes: [(method: String, path: String)] = [
        ("GET", "/healthz"), ("GET", "/metrics"), ("POST", "/v1/tickets"), ("GET", "/v1/tickets"),
        ("GET", "/v1/tickets/{id}"), ("POST", "/v1/tickets/{id}/events"),
        ("GET", "/v1/outbox"), ("POST", "/v1/outbox/{job}/retry"), ("POST", "/v1/outbox/{job}/drop"),
    ] + batchRoutes + incidentRoutes + reportRoutes + kpiReportRoutes + explainRoutes + dashboardRoutes + intakeRoutes

    public func router() -> Router<BasicRequestContext> {
        // HEAD answers every GET route, as GET without the body (and needs what the GET needs).
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        // First, so it wraps the router's 404 too: 405 with Allow, the API's 404 body (API+Methods.swift).
        router.add(middleware: UnroutedMiddleware())
        addAccess(to: router)
        router.get("/healthz") { _, _ in await self.health() }
        router.get("/metrics") { _, _ in
            if let metrics = self.metrics, let stats = try? await self.store.statistics() { metrics.record(stats) }
            if let metrics = self.metrics, let delivery = self.loop.delivery { metrics.deliveriesInFlight.record(delivery.deliveriesRunning) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: KPIMetrics.appending(await self.kpis(), to: self.metrics?.text() ?? ""))))
        }
        router.post("/v1/tickets") { request, _ in await self.guarded(request) { try await self.createTicket(request) } }
        addBatchRoutes(to: router)
        router.get("/v1/tickets") { request, _ in await self.guarded(nil) { try await self.listTickets(request) } }
        router.get("/v1/tickets/:id") { _, context in
            await self.guarded(nil) { try await self.showTicket(try context.parameters.require("id")) }
        }
        router.post("/v1/tickets/:id/events") { request, context in
            await self.guarded(request) { try await self.postEvent(request, id: try context.parameters.require("id")) }
        }
        router.get("/v1/outbox") { request, _ in await self.guarded(nil) { try await self.listOutbox(request) } }
        router.post("/v1/outbox/:job/retry") { request, context in
            await self.guarded(request) { try await self.changeOutbox(request, job: try context.parameters.require("job"), retry: true) }
        }
        router.post("/v1/outbox/:job/drop") { request, context in
            await self.guarded(request) { try await self.changeOutbox(request, job: try context.parameters.require("job"), retry: false) }
        }
        addIncidentRoutes(to: router)
        addReportRoutes(to: router)
        addKPIReportRoutes(to: router)
        addExplainRoutes(to: router)
        addDashboardRoutes(to: router)
        addIntakeRoutes(to: router)
        return router
    }

    // MARK: The outbox, for operators

    func listOutbox(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let known: Set<String> = ["state", "limit"]
        for (key, _) in query where !known.contains(String(key)) {
            throw Failure(status: .badRequest, code: "unknown_parameter",
                          message: "unknown query parameter; expected one of \(known.sorted().joined(separator: ", "))", field: String(key))
        }
        let state = query.get("state")
        if let state, !["pending", "sent", "dead"].contains(state) {
            throw Failure(status: .badRequest, code: "invalid_parameter", message: "state must be pending, sent or dead", field: "state")
        }
        let limit = try Self.limit(query.get("limit")) ?? 100
        let zone = await rules.engine.displayZone
        let jobs = try await store.outbox(state: state, limit: limit)
        return Self.json(answer: OutboxListAnswer(jobs: jobs.map { OutboxJobAnswer($0, zone: zone) }))
    }

    /// The `limit` query parameter, 1 to 1000, when given.
    static func limit(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), (1...1000).contains(value) else {
            throw Failure(status: .badRequest, code: "invalid_parameter", message: "limit must be 1 to 1000", field: "limit")
        }
        return value
    }

    func changeOutbox(_ request: Request, job: String, retry: Bool) async throws -> Response {
        guard let id = Int64(job) else {
            throw Failure(status: .notFound, code: "unknown_job", message: "no outbox job '\(job)'", field: "job")
        }
        let actor = request.headers[HTTPField.Name("X-Slad-Actor")!]
        let now = clock.now()
        if retry, let current = try await store.outboxJob(id), current.state == "sent" {
            throw Failure(status: .conflict, code: "not_allowed", message: "outbox job \(id) was delivered already", field: "job")
        }
        let changed = retry ? try await store.retryOutbox(id, actor: actor, now: now) : try await store.dropOutbox(id, actor: actor, now: now)
        guard let changed else { throw Failure(status: .notFound, code: "unknown_job", message: "no outbox job \(id)", field: "job") }
        if retry { loop.delivery?.poke() }
        return Self.json(answer: OutboxJobAnswer(changed, zone: await rules.engine.displayZone))
    }

    // MARK: Errors and auth

    struct Failure: Error {
        let status: HTTPResponse.Status
        var code: String
        let message: String
        var field: String?
        /// Values the rules refuse, listed one by one in the answer (`refused`).
        var refused: [FieldRefusal] = []
        /// Seconds for a `Retry-After` header (a 503 the client should retry).
        var retryAfter: Int? = nil
    }

    /// Runs a handler, turning failures into JSON error responses. (`write` is the request of a write; the
    /// access check, AccessMiddleware, has already run for every route by then.)
    func guarded(_ write: Request?, _ body: () async throws -> Response) async -> Response {
        do {
            let response = try await body()
            if write != nil { await loop.writeWorked() }
            return response
        } catch let failure as Failure {
            return Self.error(failure)
        } catch let error as StoreError {
            return Self.error(Self.failure(error))
        } catch {
            // A storage fault is the disk's, not the request's: retry later; SQLite's text stays in the log.
            if let fault = StorageFault.classify(error) {
                // /healthz says so at once, even while no scan has anything to write.
                if write != nil { await loop.writeFailed(error) }
                return Self.error(Failure(status: .serviceUnavailable, code: fault.rawValue,
                                          message: "this request was not stored; send it again later: \(fault.message)", retryAfter: 30))
            }
            return Self.error(Failure(status: .internalServerError, code: "internal", message: "\(error)"))
        }
    }

    /// The answer to a store's refusal.
    static func failure(_ error: StoreError) -> Failure {
        switch error {
        case .unknownTicket: Failure(status: .notFound, code: "unknown_ticket", message: error.description)
        case .duplicateTicket: Failure(status: .conflict, code: "duplicate_ticket", message: error.description, field: "id")
        case .unknownIncident: Failure(status: .notFound, code: "unknown_incident", message: error.description)
        case .duplicateIncident: Failure(status: .conflict, code: "duplicate_incident", message: error.description, field: "id")
        case .refused: Failure(status: .conflict, code: "not_allowed", message: error.description, field: "kind")
        }
    }

    static func error(_ failure: Failure) -> Response {
        var response = json(answer: ErrorAnswer(error: ErrorDetail(failure)), status: failure.status)
        if let seconds = failure.retryAfter { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    /// A tree of plain values (`AnswerEncoder`'s) as `JSONSerialization` writes it: the answers `AnswerWriter` does not write.
    static func foundationData(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func json(data: Data, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func readObject(_ request: Request) async throws -> [String: Any] {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBody)
        } catch {
            throw Failure(status: .contentTooLarge, code: "too_large", message: "the request body is larger than \(maxBody) bytes")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) else {
            throw Failure(status: .badRequest, code: "malformed_json", message: "the request body is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else {
            throw Failure(status: .badRequest, code: "malformed_json", message: "expected a JSON object")
        }
        return dictionary
    }

    // MARK: Handlers

    func health() async -> Response {
        let summary = await loop.lastSummary
        let zone = await rules.engine.displayZone
        var answer = HealthReport(version: await rules.version, loadedAt: await rules.loadedAt, refusal: await rules.refusal,
                                  unconfigured: await loop.delivery?.unconfiguredChannels ?? [:], zone: zone).answer()
        if let summary { answer.lastScan = zone.format(summary.at); answer.open = summary.open; answer.overdue = summary.overdue }
        answer.calendars = await calendarHealth()
        answer.links = links?.health
        if let snapshot = await selfWatch?.snapshot, !snapshot.active.isEmpty {
            answer.watch = SelfWatchStatus.troubles(snapshot, zone: zone)
        }
        // A loop that cannot scan escalates nothing: unhealthy, with what is wrong and since when.
        let problems = await DaemonProblems.current(loop: loop, rules: rules, now: clock.now())
        if !problems.isEmpty {
            answer.status = "failing"
            answer.problems = problems
            return Self.json(answer: answer, status: .serviceUnavailable)
        }
        return Self.json(answer: answer)
    }

    func createTicket(_ request: Request) async throws -> Response {
        let object = try await readObject(request)
        let engine = await rules.engine
        let now = clock.now()
        let ticket = try newTicket(object, engine: engine, now: now)
        let key = request.headers[HTTPTypes.HTTPField.Name("Idempotency-Key")!]
        let (stored, created) = try await intake.create(NewTicket(ticket: ticket, idempotencyKey: key, actor: ticket.events.first?.actor))
        if created { countBreach(wasOverdue: false, now: stored) }
        loop.poke(nextDue: stored.nextDue)
        return Self.json(answer: try await render(stored, engine: engine, now: now, isNew: created), status: created ? .created : .ok)
    }

    /// A new ticket from its JSON, checked as `POST /v1/tickets` checks it: decoded, its kind known, its
    /// values inside the sets the rules declare. Throws the 422 to answer.
    func newTicket(_ object: [String: Any], engine: Engine, now: Instant) throws -> Ticket {
        var object = object
        if object["created"] == nil { object["created"] = now.description }
        TimeOnlyInput.expand(&object, key: "created", zone: engine.displayZone, now: now)
        let generateID = object["id"] == nil
        if generateID { object["id"] = "pending" }
        var ticket: Ticket
        switch TicketJSON.decode(object, zone: engine.displayZone) {
        case let .success(value): ticket = value
        case let .failure(failure):
            throw Failure(status: .unprocessableContent, code: "invalid_ticket", message: failure.message, field: failure.field.isEmpty ? nil : failure.field)
        }
        if generateID { ticket.id = Self.generatedID(createdAt: ticket.createdAt, zone: engine.displayZone) }
        if let kind = TicketKind(rawValue: ticket.fields.kind) { _ = kind } else {
            throw Failure(status: .unprocessableContent, code: "invalid_ticket",
                          message: "'\(ticket.fields.kind)' is not a ticket kind; expected one of \(TicketKind.allCases.map(\.rawValue).joined(separator: ", "))",
                          field: "kind")
        }
        try Self.refuseValues(ticket.fields.refusableValues + ticket.events.flatMap(\.refusableValues), rules: engine.rules, code: "invalid_ticket")
        return ticket
    }

    /// T-YYYYMMDD-HHMMSS-xxxx from the ticket's creation in the rules' zone (a ticket entered later with
    /// `--created` is named after when it came in): sortable, readable on a phone, unique enough with the suffix.
    static func generatedID(createdAt: Instant, zone: ZoneTable) -> String {
        let stamp = zone.format(createdAt).prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "T-\(stamp.replacingOccurrences(of: "T", with: "-"))-\(String(repeating: "0", count: 4 - suffix.count) + suffix)"
    }

    func showTicket(_ id: String) async throws -> Response {
        guard let stored = try await store.ticket(id) else { throw StoreError.unknownTicket(id) }
        let engine = await rules.engine
        return Self.json(answer: try await render(stored, engine: engine, now: clock.now()))
    }

    func listTickets(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = TicketFilter()
        let known: Set<String> = ["state", "policy", "site", "overdue", "assignee", "limit", "after"]
        for (key, _) in query where !known.contains(String(key)) {
            throw Failure(status: .badRequest, code: "unknown_parameter",
                          message: "unknown query parameter; expected one of \(known.sorted().joined(separator: ", "))", field: String(key))
        }
        if let state = query.get("state") {
            if state == "open" { filter.openOnly = true } else { filter.status = state }
        }
        filter.policy = query.get("policy")
        filter.site = query.get("site")
        filter.assignee = query.get("assignee")
        filter.after = query.get("after")
        if let overdue = query.get("overdue") {
            guard let value = Bool(overdue) else {
                throw Failure(status: .badRequest, code: "invalid_parameter", message: "overdue must be true or false", field: "overdue")
            }
            filter.overdue = value
        }
        filter.limit = try Self.limit(query.get("limit")) ?? filter.limit
        let engine = await rules.engine
        let now = clock.now()
        let tickets = try await store.list(filter)
        return Self.json(answer: TicketListAnswer(tickets: tickets.map { TicketSummaryAnswer($0, engine: engine, now: now) }))
    }

    func postEvent(_ request: Request, id: String) async throws -> Response {
        var object = try await readObject(request)
        let engine = await rules.engine
        let now = clock.now()
        TimeOnlyInput.expand(&object, key: "at", zone: engine.displayZone, now: now)
        let event: TicketEventRecord
        switch TicketJSON.decodeEvent(object, zone: engine.displayZone, defaultAt: now) {
        case let .success(value): event = value
        case let .failure(failure):
            throw Failure(status: .unprocessableContent, code: "invalid_event", message: failure.message, field: failure.field.isEmpty ? nil : failure.field)
        }
        try Self.refuseValues(event.refusableValues, rules: engine.rules, code: "invalid_event")
        if event.at > now + 60 {
            throw Failure(status: .unprocessableContent, code: "invalid_event", message: "an event cannot be in the future", field: "at")
        }
        let wasOverdue = try await store.ticket(id)?.overdue ?? false
        let stored = try await store.append(event, to: id, engine: engine, now: now)
        countBreach(wasOverdue: wasOverdue, now: stored)
        loop.poke(nextDue: stored.nextDue)
        return Self.json(answer: try await render(stored, engine: engine, now: now))
    }

    /// `slad_breaches_total` counts a ticket each time it goes overdue: in the scan when a clock runs out,
    /// and here when it arrives (or an event leaves it) already past a deadline, which the scan never sees.
    func countBreach(wasOverdue: Bool, now stored: StoredTicket) {
        if !wasOverdue, stored.overdue { metrics?.breaches.increment() }
    }

    // MARK: Rendering

    /// A ticket's answer. `isNew`: it was created just now, so it has no escalations, deliveries or outbox
    /// rows yet, and they are not looked for (three reads fewer for each create).
    func render(_ stored: StoredTicket, engine: Engine, now: Instant, isNew: Bool = false) async throws -> TicketAnswer {
        let id = stored.ticket.id
        return TicketAnswer(stored, engine: engine, now: now,
                            firings: isNew ? [] : try await store.firings(of: id),
                            attempts: isNew ? [] : try await store.attempts(ticket: id),
                            pending: isNew ? [] : try await store.pendingOutbox(ticket: id))
    }
}
