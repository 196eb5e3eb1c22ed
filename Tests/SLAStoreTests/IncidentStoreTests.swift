import Foundation
import GRDB
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

let incidentRules = """
calendar cn { timezone Asia/Shanghai; workdays mon-fri }
person zhang-wei "张伟" { phone "+8613800000001" }
person li-na "李娜" { phone "+8613800000002" }
team eng { members zhang-wei; supervisor li-na; manager li-na }
channel console log {}
channel drill-room log {}
roster oncall { rotate daily at 08:30; starting 2025-09-01; timezone Asia/Shanghai; members zhang-wei, li-na }
policy repair { when kind = repair; team eng
  clock respond "响应" within 30m until acknowledged
  escalate { at respond notify supervisor via console }
}
plan water-outage "停水" {
  level III
  team eng
  when kind = incident and category = water-outage
  covers category in [water, no-water] in same building
  drill via drill-room
  step notice "通知住户" within 10m owner person zhang-wei via console
  step fix "抢修" within 1h owner supervisor via console
  step report "上报" within 30m owner manager via console at level II
  on overdue notify manager via console
}
plan pumps "水泵故障" { team eng; step pump "供水泵" within 2h owner roster oncall via console }
"""

private func engine() throws -> Engine {
    let result = RuleLoader.check([SourceFile(path: "p.sla", text: incidentRules)])
    #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
    return try Engine(rules: try #require(result.ruleSet))
}

private func repair(_ id: String, building: String, category: String = "no-water", at instant: Instant = t0) -> Ticket {
    Ticket(id: id, fields: TicketFields(kind: "repair", category: category, site: "翠湖花园", building: building), createdAt: instant)
}

@Suite struct IncidentStoreTests {
    @Test func aDeclaredIncidentTellsEachOwnerOnceAndEscalatesALateStep() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        let incident = Incident(id: "W1", plan: "water-outage", level: .III, openedAt: t0, site: "翠湖花园", building: "3栋", by: "li-na")
        let opened = try await store.openIncident(incident, actor: "li-na", engine: engine, now: t0)
        #expect(opened.isOpen && opened.nextDue == t0)
        var report = try await store.scan(engine: engine, now: t0, limit: 100)
        #expect(report.incidentNotices == 2)   // notice and fix; report belongs to level II
        #expect(Set(report.fired.map(\.firing.step)) == ["assigned:notice", "assigned:fix"])
        // A second scan at the same instant sends nothing again.
        report = try await store.scan(engine: engine, now: t0, limit: 100)
        #expect(report.incidentNotices == 0)
        _ = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 300, actor: "zhang-wei", step: "notice"),
                                   toIncident: "W1", engine: engine, now: t0 + 300)
        #expect(try await store.earliestIncidentDue() == t0 + 3600)
        report = try await store.scan(engine: engine, now: t0 + 3600, limit: 100)
        #expect(report.fired.map(\.firing.step) == ["overdue:fix"])
        #expect(report.fired.first?.people == ["li-na"])
        let deliveries = try await store.incidentDeliveries("W1")
        #expect(deliveries.map(\.kind) == ["assigned", "assigned", "overdue"])
        #expect(deliveries.allSatisfy { $0.channel == "console" && $0.state == "pending" })
    }

    @Test func raisingBringsInTheLevelsStepsAndTheLastConfirmationCloses() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        _ = try await store.openIncident(Incident(id: "W2", plan: "water-outage", level: .III, openedAt: t0), actor: nil, engine: engine, now: t0)
        await #expect(throws: StoreError.self) {
            _ = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 60, step: "report"), toIncident: "W2", engine: engine, now: t0 + 60)
        }
        await #expect(throws: StoreError.refused("incident 'W2' is at level III; a raise must go to a more serious level (III → II → I)")) {
            _ = try await store.append(IncidentEvent(kind: .raised, at: t0 + 60, level: .III), toIncident: "W2", engine: engine, now: t0 + 60)
        }
        var stored = try await store.append(IncidentEvent(kind: .raised, at: t0 + 120, actor: "li-na", level: .II), toIncident: "W2",
                                            engine: engine, now: t0 + 120)
        #expect(stored.level == .II)
        for step in ["notice", "fix"] {
            stored = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 600, step: step), toIncident: "W2", engine: engine, now: t0 + 600)
        }
        #expect(stored.isOpen)
        stored = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 900, step: "report"), toIncident: "W2", engine: engine, now: t0 + 900)
        #expect(!stored.isOpen)
        #expect(stored.incident.events.last?.note == "全部步骤已确认 all steps confirmed" && stored.incident.events.last?.actor == "slad")
        await #expect(throws: StoreError.refused("incident 'W2' is closed")) {
            _ = try await store.append(IncidentEvent(kind: .closed, at: t0 + 960, note: "x"), toIncident: "W2", engine: engine, now: t0 + 960)
        }
    }

    @Test func anOpenIncidentHoldsTheEscalationsOfTheTicketsItExplains() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        // Before the outage is declared: one resident in 3栋 already reported no water.
        _ = try await store.create(repair("R-before", building: "3栋"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let incident = Incident(id: "W3", plan: "water-outage", level: .III, openedAt: t0 + 60, site: "翠湖花园", building: "3栋")
        let opened = try await store.openIncident(incident, actor: nil, engine: engine, now: t0 + 60)
        #expect(opened.linkedTickets == ["R-before"])
        // During it: another in 3栋 (explained), one in 5栋 and a leaking tap in 3栋 (not explained).
        for ticket in [repair("R-3", building: "3栋", at: t0 + 120), repair("R-5", building: "5栋", at: t0 + 120),
                       repair("R-tap", building: "3栋", category: "plumbing", at: t0 + 120)] {
            _ = try await store.create(ticket, idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 120)
        }
        #expect(try await store.ticket("R-3")?.incidentID == "W3")
        #expect(try await store.ticket("R-5")?.incidentID == nil)
        #expect(try await store.ticket("R-tap")?.incidentID == nil)
        _ = try await store.scan(engine: engine, now: t0 + 120, limit: 100)
        // 30 minutes on, every respond clock has run out: only the two unexplained tickets escalate.
        let report = try await store.scan(engine: engine, now: t0 + 1920, limit: 100)
        #expect(Set(report.fired.filter { $0.subject == .ticket }.map(\.ticketID)) == ["R-5", "R-tap"])
        #expect(report.held == 2)
        let held = try await store.firings(of: "R-3")
        #expect(held.count == 1 && held[0].heldBy == "W3" && held[0].people.isEmpty)
        // Once the incident closes, later steps of explained tickets fire again; held ones never do.
        _ = try await store.append(IncidentEvent(kind: .closed, at: t0 + 2000, note: "恢复供水"), toIncident: "W3", engine: engine, now: t0 + 2000)
        let after = try await store.scan(engine: engine, now: t0 + 2000, limit: 100)
        #expect(!after.fired.contains { $0.ticketID == "R-3" || $0.ticketID == "R-before" })
    }

    @Test func aResidentsReportDeclaresTheIncidentItsPlanCallsFor() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        let report = Ticket(id: "T-outage", fields: TicketFields(kind: "incident", category: "water-outage", site: "翠湖花园", building: "3栋"),
                            createdAt: t0)
        let stored = try await store.create(report, idempotencyKey: nil, actor: nil, engine: engine, now: t0).0
        #expect(stored.incidentID == "INC-T-outage")
        let incident = try #require(try await store.incident("INC-T-outage"))
        #expect(incident.originTicket == "T-outage" && incident.incident.building == "3栋" && incident.isOpen)
        // A second report of the same outage joins it instead of declaring another.
        let second = Ticket(id: "T-outage-2", fields: report.fields, createdAt: t0 + 30)
        #expect(try await store.create(second, idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 30).0.incidentID == "INC-T-outage")
        #expect(try await store.incidents(IncidentFilter()).count == 1)
    }

    @Test func aDrillGoesToTheDrillChannelMarkedAndExplainsNoTicket() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        _ = try await store.create(repair("R-1", building: "3栋"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let drill = Incident(id: "D1", plan: "water-outage", level: .III, openedAt: t0, isDrill: true, site: "翠湖花园", building: "3栋")
        #expect(try await store.openIncident(drill, actor: nil, engine: engine, now: t0).linkedTickets.isEmpty)
        _ = try await store.scan(engine: engine, now: t0, limit: 100)
        let jobs = try await store.outbox(state: "pending", limit: 10).filter { $0.subject == .incident }
        #expect(jobs.count == 2)
        #expect(jobs.allSatisfy { $0.channel == "drill-room" && $0.message.hasPrefix("【演练】") })
    }

    @Test func reloadedRulesMoveAnOpenIncidentsNextDeadline() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let before = try engine()
        _ = try await store.openIncident(Incident(id: "W4", plan: "water-outage", level: .III, openedAt: t0), actor: nil, engine: before, now: t0)
        _ = try await store.scan(engine: before, now: t0, limit: 100)
        #expect(try await store.earliestIncidentDue() == t0 + 600)
        let text = incidentRules.replacingOccurrences(of: "within 10m", with: "within 5m")
        let after = try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "p.sla", text: text)]).ruleSet))
        _ = try await store.reevaluateAll(engine: after, now: t0 + 60)
        #expect(try await store.earliestIncidentDue() == t0 + 300)
    }

    @Test func aStepsOwnerIsWhoeverWasOnDutyAtTheDeclarationEvenWhenTheScanComesLater() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        // Declared at 08:00 on 22 September 2025, still 21 September's turn on the oncall roster (day 20 since
        // 1 September: zhang-wei); the daemon was down and scans first at 09:00, when li-na has taken over.
        let declared = Instant(seconds: 1_758_499_200)   // 2025-09-22T08:00:00+08:00
        _ = try await store.openIncident(Incident(id: "P5", plan: "pumps", level: .III, openedAt: declared), actor: nil,
                                         engine: engine, now: declared)
        let report = try await store.scan(engine: engine, now: declared + 3600, limit: 100)
        #expect(report.fired.first { $0.firing.step == "assigned:pump" }?.people == ["zhang-wei"])
    }

    @Test func version3DatabasesMigrateWithTheirFirings() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
        // Only the shipped migrations up to v3, then a row written the way v3 wrote it.
        try Schema.migrator.migrate(queue, upTo: "v3: delivery attempts")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO ticket (id, created_at, fields, kind, status, updated_at) VALUES ('T1', 0, '{"kind":"complaint"}', 'complaint', 'open', 0);
                INSERT INTO firing (ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached)
                  VALUES ('T1', 'complaint', 'respond', 0, 0, 0, 0, 0, 0, '[]', '[]');
                """)
        }
        try queue.close()
        let store = try SQLiteTicketStore.open(folder: folder)
        let firings = try await store.firings(of: "T1")
        #expect(firings.count == 1 && firings[0].firing.step == "respond" && firings[0].heldBy == nil)
    }
}
