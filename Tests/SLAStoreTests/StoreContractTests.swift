import Foundation
import SLAEngine
import SLARules
import SLAScan
import Testing
@testable import SLAStore

/// One way to make an empty store for a contract test. A new backend joins every test of
/// `StoreContractTests` with one line in `all`.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () throws -> any EscalationStore
    /// Reads the due rows once, decides once, and applies that one plan `times` times in one transaction:
    /// what scanners that read before any of them wrote would do. The reports, in order.
    let applyingOnePlan: @Sendable (_ store: any EscalationStore, _ times: Int, Engine, Instant) async throws -> [ScanReport]

    var testDescription: String { name }

    static let all: [StoreFactory] = [
        StoreFactory(name: "memory", make: { MemoryTicketStore() }) { store, times, engine, now in
            try #require(store as? MemoryTicketStore).applyingOnePlan(times: times, engine: engine, now: now, limit: 100)
        },
        StoreFactory(name: "sqlite", make: { try SQLiteTicketStore.open(folder: temporaryFolder()) }) { store, times, engine, now in
            try await #require(store as? SQLiteTicketStore).pool.write { db in
                let plan = ScanDecision.decide(try SQLiteTicketStore.readDue(db, now: now, limit: 100, withLinks: false), engine: engine, now: now)
                return try (0..<times).map { _ in try SQLiteTicketStore.apply(plan, db, minter: nil, now: now) }
            }
        },
        // PostgreSQL (issue 18 item 2) joins here, with its own factory and plan-applying closure.
    ]
}

/// Rules for the contract: the store tests' complaint ladder with a repeat, plus a repair policy and a plan that explains
/// repairs in its building.
let contractRules = storeRules + "\n" + """
policy repair { when kind = repair; team cs
  clock respond "响应" within 30m until acknowledged
  escalate { at respond notify supervisor via console }
}
plan water-outage "停水" {
  level III
  team cs
  when kind = incident and category = water-outage
  covers category in [water, no-water] in same building
  step notice "通知住户" within 10m owner person zhang-wei via console
  step fix "抢修" within 1h owner supervisor via console
  on overdue notify manager via console
}
"""

private func contractEngine(_ text: String = contractRules) throws -> Engine {
    let result = RuleLoader.check([SourceFile(path: "contract.sla", text: text)])
    #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
    return try Engine(rules: try #require(result.ruleSet))
}

private func repairTicket(_ id: String, building: String, at instant: Instant = t0) -> Ticket {
    Ticket(id: id, fields: TicketFields(kind: "repair", category: "no-water", site: "翠湖花园", building: building), createdAt: instant)
}

/// The escalation contract (`EscalationStore`, docs/adr/0030), run against every store in
/// `StoreFactory.all`: each must give the same answers.
@Suite struct StoreContractTests {
    @Test(arguments: StoreFactory.all)
    func createIsIdempotentAndRefusesATakenID(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        let (first, created) = try await store.create(complaint("T1"), idempotencyKey: "k1", actor: "hotline", engine: engine, now: t0)
        #expect(created)
        #expect(first.policy == "complaint" && first.status == "open" && first.nextDue == t0 + 5400)
        let (again, createdAgain) = try await store.create(complaint("T2"), idempotencyKey: "k1", actor: nil, engine: engine, now: t0 + 1)
        #expect(!createdAgain)
        #expect(again.ticket.id == "T1")
        #expect(try await store.ticket("T2") == nil)
        await #expect(throws: StoreError.duplicateTicket("T1")) {
            _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        }
        #expect(try await store.ticket("T1")?.ticket == complaint("T1"))
    }

    @Test(arguments: StoreFactory.all)
    func aScanFiresEachDueStepExactlyOnce(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let early = try await store.scan(engine: engine, now: t0 + 60, limit: 100)
        #expect(early.evaluated == 0 && early.fired.isEmpty)
        let first = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        #expect(first.evaluated == 1)
        #expect(first.fired.map(\.firing.step) == ["respond - 30m"])
        #expect(first.fired.map(\.subject) == [.ticket])
        #expect(first.outboxRows == 2)
        let again = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        #expect(again.fired.isEmpty && again.outboxRows == 0)
        // Three hours late: the respond step fires once, as its latest repeat, with the two missed folded in.
        let late = try await store.scan(engine: engine, now: t0 + 7200 + 3 * 3600, limit: 100)
        #expect(late.fired.map { "\($0.firing.step) #\($0.firing.repeatIndex)" } == ["respond #2"])
        #expect(late.fired.first?.missed == 2)
        #expect(late.fired.first?.people == ["li-na"])
        let firings = try await store.firings(of: "T1")
        #expect(firings.map(\.firing.step) == ["respond - 30m", "respond"])
        #expect(firings.map(\.id) == (first.fired + late.fired).map(\.id))
        #expect(try await store.outbox(state: "pending", limit: 10).count == 4)
        #expect(try await store.ticket("T1")?.nextDue == nil)   // max 3 reached, nothing more to do
        #expect(try await store.scan(engine: engine, now: t0 + 86_400, limit: 100).evaluated == 0)
    }

    /// Two scanners that read the same due rows (a scan redone after a crash, another instance): the
    /// firing's unique key lets the first write and refuses the second, which writes nothing else.
    @Test(arguments: StoreFactory.all)
    func aPlanAppliedTwiceWritesItsFiringsAndJobsOnce(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.create(repairTicket("R-1", building: "3栋"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let reports = try await factory.applyingOnePlan(store, 2, engine, t0 + 5400)
        #expect(reports.map(\.fired.count) == [2, 0])
        #expect(reports.map(\.outboxRows) == [3, 0])
        #expect(reports.map(\.duplicatesSkipped) == [0, 2])
        #expect(reports.map(\.evaluated) == [2, 2])
        #expect(try await store.outbox(state: nil, limit: 10).count == 3)
        #expect(try await store.firings(of: "T1").count == 1)
        #expect(try await store.firings(of: "R-1").count == 1)
        // The next-due instants were written by both: the same, so a later scan carries on as after one.
        #expect(try await store.scan(engine: engine, now: t0 + 5400, limit: 100).fired.isEmpty)
        #expect(try await store.ticket("T1")?.nextDue == t0 + 7200)
    }

    @Test(arguments: StoreFactory.all)
    func outboxJobsAreWrittenWithTheirFiring(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let report = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        let fired = try #require(report.fired.first)
        let jobs = try await store.outbox(state: nil, limit: 10)
        #expect(jobs.map(\.channel) == ["sms", "console"])
        #expect(jobs.map(\.channelKind) == ["sms-http", "log"])
        for job in jobs {
            #expect(job.firingID == fired.id && job.ticketID == "T1" && job.subject == .ticket)
            #expect(job.state == "pending" && job.attempts == 0 && job.nextAttemptAt == t0 + 5400)
            #expect(job.message.contains("【complaint·首次响应】3栋 工单 T1"))
            #expect(job.recipients.map(\.person) == ["zhang-wei"])
            // The idempotency key comes from what the job is, never from row ids: the same in every store.
            let natural = ["ticket", "T1", fired.firing.policy, fired.firing.step, String(fired.firing.cycle),
                           String(fired.firing.repeatIndex), job.channel].joined(separator: "\u{1F}")
            #expect(job.noticeKey == OutboxJob.noticeKey(naturalKey: natural))
        }
        #expect(try await store.pendingOutbox(ticket: "T1").map(\.id) == jobs.map(\.id))
        #expect(try await store.dueOutbox(now: t0 + 5399, limit: 10, excluding: []).isEmpty)
        #expect(try await store.dueOutbox(now: t0 + 5400, limit: 10, excluding: [jobs[0].id]).map(\.id) == [jobs[1].id])
        #expect(try await store.dueOutbox(now: t0 + 5400, limit: 10, excluding: [], skippingChannels: ["console"]).map(\.id) == [jobs[0].id])
        let sent = try await store.recordAttempt(DeliveryAttempt(outboxID: jobs[0].id, result: .sent, detail: nil, nextAttempt: nil,
                                                                 durationMilliseconds: 3), now: t0 + 5401)
        #expect(sent?.state == "sent" && sent?.attempts == 1)
        let retry = try await store.recordAttempt(DeliveryAttempt(outboxID: jobs[1].id, result: .retry, detail: "HTTP 503", nextAttempt: t0 + 5460,
                                                                  durationMilliseconds: 4), now: t0 + 5401)
        #expect(retry?.state == "pending" && retry?.attempts == 1 && retry?.lastError == "HTTP 503" && retry?.nextAttemptAt == t0 + 5460)
        // A sent job stays sent.
        let late = try await store.recordAttempt(DeliveryAttempt(outboxID: jobs[0].id, result: .dead, detail: "x", nextAttempt: nil,
                                                                 durationMilliseconds: 1), now: t0 + 5402)
        #expect(late?.state == "sent" && late?.attempts == 1)
        #expect(try await store.dueOutbox(now: t0 + 5459, limit: 10, excluding: []).isEmpty)
        #expect(try await store.pendingOutbox(ticket: "T1").map(\.id) == [jobs[1].id])
        #expect(try await store.outboxJob(jobs[1].id)?.attempts == 1)
        #expect(try await store.outboxJob(999) == nil)
    }

    @Test(arguments: StoreFactory.all)
    func aStepHeldByAnOpenIncidentIsRecordedAndNeverSent(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(repairTicket("R-3", building: "3栋"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let incident = Incident(id: "W1", plan: "water-outage", level: .III, openedAt: t0 + 60, site: "翠湖花园", building: "3栋")
        let opened = try await store.openIncident(incident, actor: nil, engine: engine, now: t0 + 60)
        #expect(opened.isOpen && opened.linkedTickets == ["R-3"] && opened.nextDue == t0 + 60)
        _ = try await store.create(repairTicket("R-5", building: "5栋", at: t0 + 60), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 60)
        #expect(try await store.ticket("R-3")?.incidentID == "W1")
        #expect(try await store.ticket("R-5")?.incidentID == nil)
        // 30 minutes on, both respond clocks have run out: R-5 escalates, R-3's step is held.
        let report = try await store.scan(engine: engine, now: t0 + 1860, limit: 100)
        #expect(report.held == 1)
        #expect(report.fired.filter { $0.subject == .ticket }.map(\.ticketID) == ["R-5"])
        let held = try await store.firings(of: "R-3")
        #expect(held.count == 1 && held[0].heldBy == "W1" && held[0].people.isEmpty)
        #expect(try await store.pendingOutbox(ticket: "R-3").isEmpty)
        // Closing the incident does not send the held step later.
        _ = try await store.append(IncidentEvent(kind: .closed, at: t0 + 2000, note: "恢复供水"), toIncident: "W1", engine: engine, now: t0 + 2000)
        let after = try await store.scan(engine: engine, now: t0 + 7200, limit: 100)
        #expect(!after.fired.contains { $0.ticketID == "R-3" })
        #expect(try await store.pendingOutbox(ticket: "R-3").isEmpty)
        #expect(try await store.firings(of: "R-3").count == 1)
    }

    @Test(arguments: StoreFactory.all)
    func anIncidentTellsEachOwnerOnceAndEscalatesALateStep(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        let incident = Incident(id: "W2", plan: "water-outage", level: .III, openedAt: t0, site: "翠湖花园", building: "3栋", by: "li-na")
        _ = try await store.openIncident(incident, actor: "li-na", engine: engine, now: t0)
        await #expect(throws: StoreError.duplicateIncident("W2")) {
            _ = try await store.openIncident(incident, actor: "li-na", engine: engine, now: t0)
        }
        var report = try await store.scan(engine: engine, now: t0, limit: 100)
        #expect(report.incidentsEvaluated == 1 && report.incidentNotices == 2)
        #expect(Set(report.fired.map(\.firing.step)) == ["assigned:notice", "assigned:fix"])
        #expect(report.fired.allSatisfy { $0.subject == .incident && $0.firing.plan == "water-outage" && $0.ticketID == "W2" })
        let jobs = try await store.outbox(state: "pending", limit: 10)
        #expect(jobs.count == 2 && jobs.allSatisfy { $0.subject == .incident })
        report = try await store.scan(engine: engine, now: t0, limit: 100)
        #expect(report.incidentNotices == 0 && report.fired.isEmpty)
        _ = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 300, actor: "zhang-wei", step: "notice"),
                                   toIncident: "W2", engine: engine, now: t0 + 300)
        #expect(try await store.earliestIncidentDue() == t0 + 3600)
        #expect(try await store.earliestDue() == t0 + 3600)
        report = try await store.scan(engine: engine, now: t0 + 3600, limit: 100)
        #expect(report.fired.map(\.firing.step) == ["overdue:fix"])
        #expect(report.fired.first?.people == ["li-na"])
        let closed = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 3700, actor: "li-na", step: "fix"),
                                            toIncident: "W2", engine: engine, now: t0 + 3700)
        #expect(!closed.isOpen && closed.nextDue == nil)
        #expect(try await store.incident("W2")?.status == "closed")
    }

    /// A resident's report that a plan's `when` matches declares that plan's incident, due at once; a
    /// second report of the same place joins it; a repair there is explained by it.
    @Test(arguments: StoreFactory.all)
    func aReportDeclaresTheIncidentItsPlanCallsFor(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        let fields = TicketFields(kind: "incident", category: "water-outage", site: "翠湖花园", building: "3栋")
        let stored = try await store.create(Ticket(id: "T-out", fields: fields, createdAt: t0), idempotencyKey: nil, actor: nil,
                                            engine: engine, now: t0).0
        #expect(stored.incidentID == "INC-T-out")
        let incident = try #require(try await store.incident("INC-T-out"))
        #expect(incident.originTicket == "T-out" && incident.incident.building == "3栋" && incident.isOpen && incident.nextDue == t0)
        #expect(try await store.earliestDue() == t0)
        let second = try await store.create(Ticket(id: "T-out-2", fields: fields, createdAt: t0 + 30), idempotencyKey: nil, actor: nil,
                                            engine: engine, now: t0 + 30).0
        #expect(second.incidentID == "INC-T-out")
        _ = try await store.create(repairTicket("R-1", building: "3栋", at: t0 + 60), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 60)
        #expect(try await store.ticket("R-1")?.incidentID == "INC-T-out")
        #expect(try await store.incident("INC-T-out")?.linkedTickets == ["R-1", "T-out", "T-out-2"])
        let report = try await store.scan(engine: engine, now: t0 + 60, limit: 100)
        #expect(report.incidentNotices == 2 && report.fired.allSatisfy { $0.ticketID == "INC-T-out" })
    }

    @Test(arguments: StoreFactory.all)
    func aBreachIsCountedOnceWhenTheClockRunsOut(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.create(complaint("T2"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.append(TicketEventRecord(kind: .acknowledged, at: t0 + 600, actor: "zhang-wei"), to: "T2", engine: engine, now: t0 + 600)
        var report = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        #expect(report.breaches == 0)
        report = try await store.scan(engine: engine, now: t0 + 7200, limit: 100)
        #expect(report.breaches == 1)
        #expect(try await store.ticket("T1")?.overdue == true)
        #expect(try await store.ticket("T2")?.overdue == false)
        report = try await store.scan(engine: engine, now: t0 + 10_800, limit: 100)
        #expect(report.evaluated == 1 && report.breaches == 0)
    }

    @Test(arguments: StoreFactory.all)
    func changedRulesMoveTheNextDueInstant(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        #expect(try await store.ticket("T1")?.nextDue == t0 + 5400)
        let slower = try contractEngine(contractRules.replacingOccurrences(of: "within 2h until acknowledged", with: "within 4h until acknowledged"))
        #expect(try await store.reevaluateAll(engine: slower, now: t0 + 60) == 1)
        #expect(try await store.ticket("T1")?.nextDue == t0 + 4 * 3600 - 1800)
        #expect(try await store.earliestDue() == t0 + 4 * 3600 - 1800)
        #expect(try await store.scan(engine: slower, now: t0 + 5400, limit: 100).fired.isEmpty)
        let report = try await store.scan(engine: slower, now: t0 + 4 * 3600 - 1800, limit: 100)
        #expect(report.fired.map(\.firing.step) == ["respond - 30m"])
    }

    @Test(arguments: StoreFactory.all)
    func closingStopsTheEscalation(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let closed = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 600, actor: "li-na", note: "重复投诉"), to: "T1",
                                            engine: engine, now: t0 + 600)
        #expect(closed.status == "closed" && closed.nextDue == nil)
        await #expect(throws: StoreError.refused("the ticket is already closed")) {
            _ = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 700), to: "T1", engine: engine, now: t0 + 700)
        }
        await #expect(throws: StoreError.unknownTicket("T9")) {
            _ = try await store.append(TicketEventRecord(kind: .comment, at: t0 + 700), to: "T9", engine: engine, now: t0 + 700)
        }
        let report = try await store.scan(engine: engine, now: t0 + 86_400, limit: 100)
        #expect(report.evaluated == 0 && report.fired.isEmpty)
        #expect(try await store.firings(of: "T1").isEmpty)
        #expect(try await store.outbox(state: nil, limit: 10).isEmpty)
        #expect(try await store.earliestDue() == nil)
    }

    /// The stored next-due instant is the engine's, for the ticket as stored and its firings, after each
    /// write and each scan; the scan takes the earliest first and stops at its limit.
    @Test(arguments: StoreFactory.all)
    func theStoredNextDueIsTheEnginesAndTheScanTakesTheEarliestFirst(_ factory: StoreFactory) async throws {
        let store = try factory.make()
        let engine = try contractEngine()
        _ = try await store.create(complaint("T-late", at: t0 + 600), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 600)
        _ = try await store.create(complaint("T-early"), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 600)
        _ = try await store.create(repairTicket("R-1", building: "3栋"), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 600)
        func agrees(at now: Instant) async throws {
            for id in ["T-late", "T-early", "R-1"] {
                let stored = try #require(try await store.ticket(id))
                let fired = try await store.firings(of: id).map(\.firing)
                let evaluation = engine.evaluate(stored.ticket, at: now, fired: fired)
                #expect(stored.nextDue == (evaluation.due.isEmpty ? evaluation.nextDue : now), "\(id) at \(now.seconds - t0.seconds)")
            }
        }
        try await agrees(at: t0 + 600)
        #expect(try await store.earliestDue() == t0 + 1800)
        // Everything is due by now; a limit of one takes the earliest (R-1, then T-early), one at a time.
        let now = t0 + 6600
        #expect(try await store.scan(engine: engine, now: now, limit: 1).fired.map(\.ticketID) == ["R-1"])
        #expect(try await store.scan(engine: engine, now: now, limit: 1).fired.map(\.ticketID) == ["T-early"])
        let rest = try await store.scan(engine: engine, now: now, limit: 10)
        #expect(rest.fired.map(\.ticketID) == ["T-late"])
        try await agrees(at: now)
        _ = try await store.append(TicketEventRecord(kind: .acknowledged, at: now + 60, actor: "zhang-wei"), to: "T-early", engine: engine, now: now + 60)
        try await agrees(at: now + 60)
    }
}
