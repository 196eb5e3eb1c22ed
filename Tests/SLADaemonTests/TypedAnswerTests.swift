import Foundation
@testable import SLADaemon
@testable import SLAEngine
@testable import SLARules
@testable import SLAStore
import Testing

/// Every typed answer (Answers/, API+Answers.swift) is written by `AnswerWriter` byte for byte as the
/// dictionary it replaced was written by `JSONSerialization` (docs/adr/0020, docs/adr/0028). The
/// dictionaries are built here as the code before the typed answers built them (`Legacy`, copied from
/// API.swift, API+Incidents.swift, Health.swift and their neighbours at 15547d2), from the same values:
/// absent and null members, Chinese text, escapes, control characters and slashes included.
@Suite struct TypedAnswerTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person duty "值班员" { phone "+8613800000009" }
    person boss "主管" { phone "+8613800000010" }
    team desk { members duty; supervisor boss; manager boss }
    channel console log {}
    policy fast { when kind = complaint; team desk
      pause while status = waiting-customer
      clock respond "响应" within 2h until acknowledged
      clock fix within 1d until resolved
      escalate { at respond notify supervisor via console } }
    plan lift "电梯困人" { level III
      team desk
      step comfort "安抚" within 5m owner person duty via console
      step arrive within 30m owner person boss via console }
    """

    let engine: Engine
    let t0 = Instant(seconds: 1_790_000_000)
    static let awkward = "楼上\"深夜\"噪音\\ 换行\n回车\r制表\t\u{1}\u{8}\u{c}\u{1f}\u{7f}\u{2028} a/b é 😀"

    init() throws {
        engine = try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "t.sla", text: Self.rules)]).ruleSet))
    }

    func foundation(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    func written(_ answer: some Encodable) throws -> String {
        String(decoding: try #require(AnswerWriter.bytes(answer)), as: UTF8.self)
    }

    // MARK: Values

    func ticket(full: Bool) -> Ticket {
        var ticket = Ticket(id: "T-1", fields: full
            ? TicketFields(kind: "complaint", category: "噪音", grade: "A", priority: "high", site: "翠湖花园", building: "3栋", unit: "2单元1102",
                           reporter: "业主", assignee: "duty", source: "hotline", tags: ["漏水", "a/b"], text: Self.awkward)
            : TicketFields(kind: "complaint"), createdAt: t0, createdBy: full ? "desk" : nil)
        if full {
            ticket.append(TicketEventRecord(kind: .acknowledged, at: t0 + 60, actor: "duty", note: "马上\"处理\"\n", via: "link"))
            ticket.append(TicketEventRecord(kind: .paused, at: t0 + 120, actor: "duty", note: "等配件",
                                                   changes: ["status": "waiting-parts", "assignee": "boss"]))
            ticket.append(TicketEventRecord(kind: .comment, at: t0 + 125, note: nil, score: 4))
            ticket.repeatOf = "T-0"
        }
        return ticket
    }

    func stored(_ ticket: Ticket, full: Bool) -> StoredTicket {
        StoredTicket(ticket: ticket, status: full ? "waiting-parts" : "open", policy: full ? "fast" : nil, cycle: 0, overdue: full,
                     nextDue: full ? t0 + 7200 : nil, updatedAt: t0, incidentID: full ? "I-1" : nil)
    }

    var firings: [FiringRecord] {
        [FiringRecord(id: 3, ticketID: "T-1", firing: Firing(policy: "fast", step: "respond", cycle: 0, repeatIndex: 1), dueAt: t0 + 7200,
                      firedAt: t0 + 7320, lateness: 120, missed: 0, people: ["boss"], unreached: ["manager"], heldBy: "I-1"),
         FiringRecord(id: 4, ticketID: "T-1", firing: Firing(policy: "fast", step: "respond - 30m", cycle: 1, repeatIndex: 0), dueAt: t0 + 60,
                      firedAt: t0 + 60, lateness: 5, missed: 0, people: ["duty", "boss"], unreached: [], heldBy: nil)]
    }

    var attempts: [DeliveryAttemptRecord] {
        [DeliveryAttemptRecord(outboxID: 42, channel: "console", attempt: 1, at: t0 + 61, result: "sent", detail: nil, durationMilliseconds: 12),
         DeliveryAttemptRecord(outboxID: 43, channel: "console", attempt: 2, at: t0 + 7321, result: "retry", detail: "HTTP 500: \"bad\"\n/x",
                               durationMilliseconds: 1500)]
    }

    var pending: [OutboxJob] {
        func job(_ id: Int64, attempts: Int, lastError: String?, address: String?) -> OutboxJob {
            OutboxJob(id: id, firingID: 3, ticketID: "T-1", channel: "sms", channelKind: "sms-http",
                      recipients: [OutboxJob.Recipient(person: "duty", name: address == nil ? nil : "值班员", address: address)],
                      message: "工单 T-1 超时\n请处理", state: "pending", attempts: attempts, createdAt: t0 + 7320,
                      nextAttemptAt: t0 + 7400, lastError: lastError)
        }
        return [job(7, attempts: 0, lastError: nil, address: "+8613800000009"), job(8, attempts: 2, lastError: "channel sms is not configured: 'token'", address: nil),
                job(9, attempts: 1, lastError: nil, address: nil)]
    }

    // MARK: Tickets

    @Test func aTicketIsWrittenAsItsDictionary() throws {
        let now = t0 + 8000
        for full in [true, false] {
            let stored = stored(ticket(full: full), full: full)
            let (firings, attempts, pending) = full ? (firings, attempts, pending) : ([], [], [])
            let typed = TicketAnswer(stored, engine: engine, now: now, firings: firings, attempts: attempts, pending: pending)
            let legacy = Legacy.render(stored, engine: engine, now: now, firings: firings, attempts: attempts, pending: pending)
            #expect(try written(typed) == foundation(legacy))
            if full {
                #expect(legacy["pause"] != nil, "the paused ticket has a pause")
                #expect(try written(typed).contains(#""repeat":1"#) && written(typed).contains(#""lateSeconds":120"#))
            }
        }
    }

    @Test func aListOfTicketsIsWrittenAsItsDictionary() throws {
        let now = t0 + 8000
        let tickets = [stored(ticket(full: true), full: true), stored(ticket(full: false), full: false)]
        #expect(try written(TicketListAnswer(tickets: tickets.map { TicketSummaryAnswer($0, engine: engine, now: now) }))
            == foundation(["tickets": tickets.map { Legacy.summary($0, engine: engine, now: now) }]))
        #expect(try written(TicketListAnswer(tickets: [])) == foundation(["tickets": [Any]()]))
    }

    /// The typed fields name every field a ticket has but its status (which is the ticket's own member).
    @Test func everyTicketFieldIsInTheAnswer() throws {
        let full = TicketSummaryAnswer(stored(ticket(full: true), full: true), engine: engine, now: t0)
        let text = try written(full)
        for field in TicketField.allCases where field != .status {
            #expect(text.contains("\"\(field.rawValue)\":"), "\(field.rawValue) is written")
        }
    }

    @Test func aBatchIsWrittenAsItsDictionary() throws {
        var refused = BatchAnswer.Result(index: 1, line: 3)
        let failure = API.Failure(status: .unprocessableContent, code: "invalid_ticket", message: "'D' is not a grade", field: "grade",
                                  refused: [FieldRefusal(field: .grade, value: "D", suggestion: nil, allowed: ["A", "B"])])
        refused.status = 422
        refused.error = API.ErrorDetail(failure)
        var created = BatchAnswer.Result(index: 0, line: 1)
        created.id = "H-0042"
        created.status = 201
        var duplicate = BatchAnswer.Result(index: 2, line: nil)
        duplicate.id = "T-1"
        duplicate.status = 409
        duplicate.error = API.ErrorDetail(API.Failure(status: .conflict, code: "duplicate_ticket", message: "ticket 'T-1' exists", field: "id"))
        let typed = BatchAnswer(created: 1, present: 0, failed: 2, results: [created, refused, duplicate])
        let legacy: [String: Any] = [
            "created": 1, "present": 0, "failed": 2,
            "results": [["index": 0, "line": 1, "id": "H-0042", "status": 201],
                        ["index": 1, "line": 3, "status": 422,
                         "error": ["code": "invalid_ticket", "message": "'D' is not a grade", "field": "grade",
                                   "refused": [["field": "grade", "value": "D", "message": "'D' is not a grade the rules declare; expected one of A, B",
                                                "suggestion": NSNull()]]]],
                        ["index": 2, "id": "T-1", "status": 409,
                         "error": ["code": "duplicate_ticket", "message": "ticket 'T-1' exists", "field": "id"]]] as [[String: Any]],
        ]
        #expect(try written(typed) == foundation(legacy))
    }

    @Test func intakeAnswersAreWrittenAsTheirDictionaries() throws {
        var answer = IntakeAnswer(source: "hotline", delivery: "7f3c/1", externalId: "WO-1", ticket: "hotline-WO-1", upstreamStatus: "已完成",
                                  outcome: "created")
        #expect(answer.text == (try foundation(["source": "hotline", "delivery": "7f3c/1", "externalId": "WO-1", "ticket": "hotline-WO-1",
                                                "upstreamStatus": "已完成", "outcome": "created"])))
        answer.event = "resolved"
        answer.outcome = "event"
        #expect(answer.text == (try foundation(["source": "hotline", "delivery": "7f3c/1", "externalId": "WO-1", "ticket": "hotline-WO-1",
                                                "upstreamStatus": "已完成", "event": "resolved", "outcome": "event"])))
        let skipped = IntakeAnswer(source: "hotline", delivery: "d\"1", externalId: nil, ticket: nil, upstreamStatus: nil, outcome: "skipped",
                                   reason: "category '咨询' is mapped to skip")
        #expect(try written(skipped) == foundation(["source": "hotline", "delivery": "d\"1", "outcome": "skipped",
                                                     "reason": "category '咨询' is mapped to skip"]))
    }

    @Test func anOutboxJobIsWrittenAsItsDictionary() throws {
        let zone = engine.displayZone
        for job in pending {
            let legacy: [String: Any] = [
                "id": job.id, "subject": job.subject.rawValue, "ticket": job.ticketID, "channel": job.channel, "kind": job.channelKind,
                "state": job.state, "attempts": job.attempts, "nextAttempt": zone.format(job.nextAttemptAt), "created": zone.format(job.createdAt),
                "lastError": job.lastError ?? NSNull() as Any, "message": job.message,
                "recipients": job.recipients.map { $0.name ?? $0.person }, "to": API.recipientNames(job),
            ]
            #expect(try written(API.OutboxListAnswer(jobs: [API.OutboxJobAnswer(job, zone: zone)])) == foundation(["jobs": [legacy]]))
        }
    }

    // MARK: Incidents

    @Test func anIncidentIsWrittenAsItsDictionary() throws {
        let incident = Incident(id: "I-1", plan: "lift", level: .III, openedAt: t0, site: "翠湖花园", building: nil, by: "duty")
            .appending(IncidentEvent(kind: .confirmed, at: t0 + 120, actor: "boss", step: "comfort", note: "已安抚\n", via: "link", owner: "duty"))
            .appending(IncidentEvent(kind: .raised, at: t0 + 200, actor: nil, level: .II, note: "升级"))
        let deliveries = [IncidentDelivery(kind: "assigned", step: "comfort", channel: "console", recipients: ["duty", "boss"], queuedAt: t0,
                                           state: "sent", deliveredAt: t0, attempts: 1),
                          IncidentDelivery(kind: "assigned", step: "comfort", channel: "sms", recipients: ["duty"], queuedAt: t0,
                                           state: "pending", deliveredAt: nil, attempts: 0),
                          IncidentDelivery(kind: "overdue", step: "arrive", channel: "console", recipients: ["boss"], queuedAt: t0,
                                           state: "sent", deliveredAt: t0, attempts: 1)]
        let open = StoredIncident(incident: incident, status: "open", level: .II, originTicket: "T-1", nextDue: t0 + 1800, linkedTickets: ["T-1", "T-2"])
        // A plan the rules no longer have: no title (null), no steps.
        let orphan = StoredIncident(incident: Incident(id: "D-2", plan: "gone", level: .I, openedAt: t0, isDrill: true), status: "closed",
                                    level: .I, originTicket: nil, nextDue: nil, linkedTickets: [])
        for (stored, given) in [(open, deliveries), (open, []), (orphan, [])] {
            #expect(try written(IncidentAnswer(stored, engine: engine, now: t0 + 600, deliveries: given))
                == foundation(Legacy.incident(stored, engine: engine, now: t0 + 600, deliveries: given)))
        }
        #expect(try written(IncidentListAnswer(incidents: [open, orphan].map { IncidentAnswer($0, engine: engine, now: t0, deliveries: []) }))
            == foundation(["incidents": [open, orphan].map { Legacy.incident($0, engine: engine, now: t0, deliveries: []) }]))
    }

    // MARK: /healthz

    @Test func healthIsWrittenAsItsDictionary() throws {
        let zone = engine.displayZone
        let refusal = ReloadRefusal(at: t0 + 30, failure: .invalid(errors: 2, rendered: "rules/a.sla:3:1: error: 'x'\nmore"))
        let fault = ScanFault(code: "storage_full", message: "the disk holding the state folder is full", since: t0, failures: 3)
        for (report, healthy) in [(HealthReport(version: "122b133a", loadedAt: t0, refusal: nil, zone: zone), true),
                                  (HealthReport(version: "122b133a", loadedAt: nil, refusal: refusal,
                                                unconfigured: ["sms": "channel sms is not configured: 'token'", "mail": "a/b \"c\""], zone: zone), false)] {
            var typed = report.answer()
            var legacy = Legacy.health(report)
            typed.calendars = [HealthAnswer.Calendar(name: "cn", dataUntil: Nullable("2026-12-31"), warning: Nullable("no data for 2027; load it")),
                               HealthAnswer.Calendar(name: "week", dataUntil: nil, warning: nil)]
            legacy["calendars"] = [["name": "cn", "dataUntil": "2026-12-31", "warning": "no data for 2027; load it"],
                                   ["name": "week", "dataUntil": NSNull(), "warning": NSNull()]]
            if healthy {
                typed.lastScan = zone.format(t0)
                typed.open = 12
                typed.overdue = 0
                legacy["lastScan"] = zone.format(t0); legacy["open"] = 12; legacy["overdue"] = 0
                typed.links = HealthAnswer.Links(configured: true, baseURL: "https://wy.example.com/a", reason: nil)
                legacy["links"] = ["configured": true, "baseURL": "https://wy.example.com/a"]
                typed.watch = SelfWatchStatus.troubles((active: ["calendar_running_out:cn:2027": t0], told: ["calendar_running_out:cn:2027": ["ops", "console"]]),
                                                       zone: zone)
                legacy["watch"] = [["trouble": "calendar_running_out:cn:2027", "since": zone.format(t0), "told": ["console", "ops"]]]
            } else {
                typed.links = HealthAnswer.Links(configured: false, baseURL: nil, reason: "links: 'key' cannot sign")
                legacy["links"] = ["configured": false, "reason": "links: 'key' cannot sign"]
                var writes = fault.problem(zone: zone)
                writes.summary = "writes_failing since \(zone.format(t0))"
                typed.status = "failing"
                typed.problems = [fault.problem(zone: zone), writes,
                                  HealthAnswer.Problem(code: "delivery_stalled", channel: "sms", message: "attempts failing: HTTP 500",
                                                       since: nil, summary: "delivery_stalled channel sms")]
                var legacyWrites = Legacy.fault(fault, zone: zone)
                legacyWrites["summary"] = "writes_failing since \(zone.format(t0))"
                legacy["status"] = "failing"
                legacy["problems"] = [Legacy.fault(fault, zone: zone), legacyWrites,
                                      ["code": "delivery_stalled", "channel": "sms", "summary": "delivery_stalled channel sms",
                                       "message": "attempts failing: HTTP 500"]]
            }
            #expect(try written(typed) == foundation(legacy))
        }
    }

    // MARK: The explanation

    @Test func anExplanationIsWrittenAsItsDictionary() throws {
        let ticket = ticket(full: true)
        let fired = [Firing(policy: "fast", step: "respond", cycle: 0, repeatIndex: 0)]
        var explanation = engine.explain(ticket, at: t0 + 9000, fired: fired)
        #expect(!explanation.steps.isEmpty && !explanation.evaluation.clocks.isEmpty)
        let trials = [RouteExplanation.Trial(route: "noise", title: "噪音", outcome: "condition", reasoning: "category = 噪音 ✗ (\"漏水\")", detail: nil),
                      RouteExplanation.Trial(route: "model", title: nil, outcome: "took", reasoning: "always", detail: "a/b\n")]
        for routing in [nil, RouteExplanation(arrivedAssigned: true, route: nil, assignee: nil, trials: [], prediction: nil),
                        RouteExplanation(arrivedAssigned: false, route: "model", assignee: "duty", trials: trials, prediction: nil)] {
            explanation.routing = routing
            var answer = ExplainAnswer(explanation, engine: engine)
            #expect(try written(answer) == foundation(Legacy.explain(explanation, engine: engine)))
            answer.rules = "122b133a"
            var legacy = Legacy.explain(explanation, engine: engine)
            legacy["rules"] = "122b133a"
            #expect(try written(answer) == foundation(legacy))
        }
        // A model's prediction holds floating-point numbers: JSONSerialization writes that answer, as it did.
        explanation.routing = RouteExplanation(arrivedAssigned: false, route: "model", assignee: "duty", trials: trials,
                                               prediction: ModelVerdict(path: "models/a.model", label: "水电", confidence: 0.93, threshold: 0.8,
                                                                        followed: true, note: "模型预测 水电（置信度 0.93）"))
        var answer = ExplainAnswer(explanation, engine: engine)
        answer.rules = "v"
        #expect(AnswerWriter.bytes(answer) == nil)
        var legacy = Legacy.explain(explanation, engine: engine)
        legacy["rules"] = "v"
        #expect(String(decoding: API.data(answer: answer), as: UTF8.self) == (try foundation(legacy)))
        // `slad explain --format json`: pretty, as before.
        #expect(ExplainJSON.render(explanation, engine: engine)
            == String(decoding: try JSONSerialization.data(withJSONObject: Legacy.explain(explanation, engine: engine),
                                                           options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
    }

    // MARK: The writer itself

    @Test func theWriterKeepsTheLastOfAMemberAndHandsBackFloatingPoint() throws {
        struct Twice: Encodable {
            func encode(to encoder: any Encoder) throws {
                var first = encoder.container(keyedBy: AnswerKey.self)
                try first.encode("a", forKey: AnswerKey("b"))
                try first.encode(1, forKey: AnswerKey("a"))
                var second = encoder.container(keyedBy: AnswerKey.self)
                try second.encode("last", forKey: AnswerKey("b"))
                var nested = second.nestedContainer(keyedBy: AnswerKey.self, forKey: AnswerKey("n"))
                try nested.encodeNil(forKey: AnswerKey("Z"))
                try nested.encode([Int64(3), 1], forKey: AnswerKey("z"))
            }
        }
        #expect(try written(Twice()) == foundation(["a": 1, "b": "last", "n": ["Z": NSNull(), "z": [3, 1]]]))
        struct Ratio: Encodable { let ratio: Double }
        #expect(AnswerWriter.bytes(Ratio(ratio: 0.5)) == nil, "a Double is Foundation's to write")
        #expect(String(decoding: API.data(answer: Ratio(ratio: 0.5)), as: UTF8.self) == #"{"ratio":0.5}"#)
    }
}

/// The answers as the code before typed answers built them (15547d2), kept as the reference they are compared with.
enum Legacy {
    static func fieldsObject(_ fields: TicketFields) -> [String: Any] {
        var object: [String: Any] = ["kind": fields.kind]
        for field in TicketField.allCases where field != .kind && field != .tags && field != .status {
            if let value = fields.value(of: field) { object[field.rawValue] = value }
        }
        if !fields.tags.isEmpty { object["tags"] = fields.tags }
        if let text = fields.text { object["text"] = text }
        return object
    }

    static func summary(_ stored: StoredTicket, engine: Engine, now: Instant) -> [String: Any] {
        let (fields, _) = engine.fields(of: stored.ticket, at: now)
        var object = fieldsObject(fields)
        object["id"] = stored.ticket.id
        object["status"] = stored.status
        object["policy"] = stored.policy ?? NSNull()
        object["overdue"] = stored.overdue
        object["created"] = engine.displayZone.format(stored.ticket.createdAt)
        object["nextDue"] = stored.nextDue.map { engine.displayZone.format($0) } ?? NSNull()
        if let incident = stored.incidentID { object["incident"] = incident }
        if let repeatOf = stored.ticket.repeatOf { object["repeatOf"] = repeatOf }
        return object
    }

    static func pauseObject(_ ticket: Ticket, evaluation: Evaluation, engine: Engine, now: Instant) -> [String: Any]? {
        let paused = TicketStatus.pauseStatuses.contains(evaluation.status)
        let explanation = engine.pauseExplanation(ticket, evaluation: evaluation, at: now)
        guard paused || explanation.contains(where: { $0.state == "paused" }), !explanation.isEmpty else { return nil }
        return [
            "status": evaluation.status,
            "clocks": explanation.map { clock -> [String: Any] in
                ["name": clock.name, "title": clock.title ?? NSNull(), "state": clock.state, "reason": clock.reason]
            },
        ]
    }

    static func render(_ stored: StoredTicket, engine: Engine, now: Instant, firings: [FiringRecord], attempts: [DeliveryAttemptRecord],
                       pending: [OutboxJob]) -> [String: Any] {
        let zone = engine.displayZone
        let evaluation = engine.evaluate(stored.ticket, at: now, fired: firings.map(\.firing))
        var object = summary(stored, engine: engine, now: now)
        object["clocks"] = evaluation.clocks.map { clock -> [String: Any] in
            ["name": clock.name, "title": clock.title ?? NSNull(), "state": clock.state.rawValue,
             "deadline": clock.deadline.map { zone.format($0) } ?? NSNull(),
             "secondsLeft": clock.wallRemaining(at: now) ?? NSNull(),
             "budgetSeconds": clock.budget, "usedSeconds": clock.consumed, "workingTime": clock.countsWorkingTime]
        }
        if let pause = pauseObject(stored.ticket, evaluation: evaluation, engine: engine, now: now) { object["pause"] = pause }
        var timeline: [(Instant, Int, [String: Any])] = []
        for (index, event) in stored.ticket.events.enumerated() {
            var entry: [String: Any] = ["type": "event", "kind": event.kind.rawValue, "at": zone.format(event.at)]
            if let actor = event.actor { entry["actor"] = actor }
            if let note = event.note { entry["note"] = note }
            if let via = event.via { entry["via"] = via }
            if let score = event.score { entry["score"] = score }
            for (key, value) in event.changes ?? [:] { entry[key] = value }
            timeline.append((event.at, index, entry))
        }
        for firing in firings {
            var entry: [String: Any] = ["type": "escalation", "policy": firing.firing.policy, "step": firing.firing.step,
                                        "repeat": firing.firing.repeatIndex, "cycle": firing.firing.cycle,
                                        "at": zone.format(firing.firedAt), "due": zone.format(firing.dueAt),
                                        "people": firing.people]
            if firing.lateness > 60 { entry["lateSeconds"] = firing.lateness }
            if !firing.unreached.isEmpty { entry["unreached"] = firing.unreached }
            if let incident = firing.heldBy { entry["heldBy"] = incident }
            timeline.append((firing.firedAt, 1_000_000 + Int(firing.id), entry))
        }
        for (index, attempt) in attempts.enumerated() {
            var entry: [String: Any] = ["type": "delivery", "outbox": attempt.outboxID, "channel": attempt.channel,
                                        "attempt": attempt.attempt, "result": attempt.result, "at": zone.format(attempt.at),
                                        "durationMs": attempt.durationMilliseconds]
            if let detail = attempt.detail { entry["detail"] = detail }
            timeline.append((attempt.at, 1_000_000_000 + index, entry))
        }
        for (index, job) in pending.enumerated() {
            var entry: [String: Any] = ["type": "delivery", "outbox": job.id, "channel": job.channel, "attempt": job.attempts,
                                        "result": "pending", "at": zone.format(job.createdAt),
                                        "waitingSeconds": max(0, now - job.createdAt), "nextAttempt": zone.format(job.nextAttemptAt),
                                        "recipients": API.recipientNames(job)]
            entry["detail"] = job.lastError ?? (job.attempts == 0 ? "not tried yet" : nil)
            timeline.append((job.createdAt, 2_000_000_000 + index, entry))
        }
        object["timeline"] = timeline.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return object
    }

    static func incident(_ stored: StoredIncident, engine: Engine, now: Instant, deliveries: [IncidentDelivery]) -> [String: Any] {
        let zone = engine.displayZone
        let incident = stored.incident
        let plan = engine.rules.plans.first { $0.name == incident.plan }
        var object: [String: Any] = [
            "id": incident.id, "plan": incident.plan, "title": plan?.title ?? NSNull(), "drill": incident.isDrill,
            "status": stored.status, "level": stored.level.rawValue, "opened": zone.format(incident.openedAt),
            "site": incident.site ?? NSNull(), "building": incident.building ?? NSNull(), "tickets": stored.linkedTickets,
            "nextDue": stored.nextDue.map { zone.format($0) } ?? NSNull(),
        ]
        if let origin = stored.originTicket { object["originTicket"] = origin }
        if let evaluation = engine.evaluate(incident, at: now) {
            object["steps"] = evaluation.steps.map { step -> [String: Any] in
                var entry: [String: Any] = ["name": step.name, "title": step.title ?? NSNull(), "state": step.state.rawValue,
                                            "since": zone.format(step.since), "deadline": zone.format(step.deadline)]
                if let at = step.confirmedAt { entry["confirmedAt"] = zone.format(at) }
                if let by = step.confirmedBy { entry["confirmedBy"] = by }
                if let via = step.confirmedVia { entry["confirmedVia"] = via }
                if let owner = step.owner { entry["owner"] = owner }
                if let note = step.note { entry["note"] = note }
                if let margin = step.margin { entry["marginSeconds"] = margin }
                var reached: [String] = []
                for delivery in deliveries where delivery.kind == "assigned" && delivery.step == step.name {
                    for person in delivery.recipients where !reached.contains(person) { reached.append(person) }
                }
                if !reached.isEmpty { entry["notified"] = reached }
                return entry
            }
        }
        object["events"] = incident.events.map { event -> [String: Any] in
            var entry: [String: Any] = ["kind": event.kind.rawValue, "at": zone.format(event.at)]
            if let actor = event.actor { entry["by"] = actor }
            if let level = event.level { entry["level"] = level.rawValue }
            if let step = event.step { entry["step"] = step }
            if let note = event.note { entry["note"] = note }
            if let via = event.via { entry["via"] = via }
            if let owner = event.owner { entry["owner"] = owner }
            return entry
        }
        return object
    }

    static func health(_ report: HealthReport) -> [String: Any] {
        let zone = report.zone
        var object: [String: Any] = ["status": "ok", "rules": report.version]
        if let loadedAt = report.loadedAt { object["rulesLoadedAt"] = zone.format(loadedAt) }
        if let refusal = report.refusal {
            let since = report.loadedAt.map { " since \(zone.format($0))" } ?? ""
            object["reload"] = [
                "state": "refused", "refusedAt": zone.format(refusal.at), "errors": refusal.errors,
                "message": "the reload at \(zone.format(refusal.at)) was refused (\(refusal.errors) error\(refusal.errors == 1 ? "" : "s"): "
                    + "\(refusal.reason)); the old rules \(report.version) still run\(since). Fix the rules (slad check) and send SIGHUP again.",
            ] as [String: Any]
        }
        if !report.unconfigured.isEmpty {
            object["channelsNotConfigured"] = report.unconfigured.sorted { $0.key < $1.key }.map { ["channel": $0.key, "reason": $0.value] }
        }
        return object
    }

    /// SLAFormats' `ExplainJSON.object` and `routing` at 15547d2.
    static func explain(_ explanation: Explanation, engine: Engine) -> [String: Any] {
        let evaluation = explanation.evaluation
        let zone = engine.displayZone
        func time(_ instant: Instant?) -> Any { instant.map { zone.format($0) } ?? NSNull() }
        var object: [String: Any] = [
            "ticket": evaluation.ticketID,
            "at": zone.format(evaluation.now),
            "status": evaluation.status,
            "cycle": evaluation.cycle,
            "policy": evaluation.policy ?? NSNull(),
            "tried": explanation.tried.map { ["policy": $0.policy, "matched": $0.matched, "reasoning": $0.reasoning] },
            "clocks": evaluation.clocks.map { clock -> [String: Any] in
                ["name": clock.name, "state": clock.state.rawValue, "started": time(clock.startedAt),
                 "stopped": time(clock.stoppedAt), "stoppedBy": clock.stoppedBy.map { $0.rawValue as Any } ?? NSNull(), "deadline": time(clock.deadline), "budgetSeconds": clock.budget,
                 "usedSeconds": clock.consumed, "workingTime": clock.countsWorkingTime,
                 "beyondCalendarData": clock.beyondCalendarData,
                 "wallSecondsLeft": clock.wallRemaining(at: evaluation.now).map { $0 as Any } ?? NSNull()]
            },
            "steps": explanation.steps.map { step -> [String: Any] in
                ["step": step.key, "clock": step.clock, "state": step.state.rawValue, "at": time(step.at),
                 "targets": step.targets.map(\.description), "channels": step.channels,
                 "recipients": step.recipients.deliveries.map { delivery in
                     ["channel": delivery.channel, "people": delivery.recipients.map(\.person)] as [String: Any]
                 },
                 "unreached": step.recipients.unreached.map(\.description),
                 "reason": step.reason ?? NSNull()]
            },
            "nextDue": time(evaluation.nextDue),
        ]
        if let routing = explanation.routing {
            var route: [String: Any] = [
                "arrivedAssigned": routing.arrivedAssigned,
                "route": routing.route as Any? ?? NSNull(),
                "assignee": routing.assignee as Any? ?? NSNull(),
                "tried": routing.trials.map { trial -> [String: Any] in
                    ["route": trial.route, "outcome": trial.outcome, "reasoning": trial.reasoning, "detail": trial.detail as Any? ?? NSNull()]
                },
            ]
            if let prediction = routing.prediction {
                route["prediction"] = ["model": prediction.path, "label": prediction.label, "confidence": prediction.confidence,
                                       "threshold": prediction.threshold, "followed": prediction.followed, "note": prediction.note]
            }
            object["routing"] = route
        }
        return object
    }

    static func fault(_ fault: ScanFault, zone: ZoneTable) -> [String: Any] {
        ["code": fault.code, "message": fault.message, "since": zone.format(fault.since), "failures": fault.failures,
         "summary": "scans_failing since \(zone.format(fault.since))"]
    }
}
