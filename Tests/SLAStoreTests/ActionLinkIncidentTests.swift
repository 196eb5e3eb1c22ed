import Foundation
import GRDB
import SLAActions
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

/// Confirm links for incident and drill steps, confirmations by someone else, and the v6 migration.
@Suite struct ActionLinkIncidentTests {
    func engine() throws -> Engine {
        try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "p.sla", text: incidentRules)]).ruleSet))
    }

    @Test func aStepsOwnerConfirmsThroughTheLink() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        store.setLinks(try linkMinter())
        let engine = try engine()
        let drill = Incident(id: "D1", plan: "water-outage", level: .III, openedAt: t0, isDrill: true, site: "翠湖花园", building: "3栋", by: "li-na")
        _ = try await store.openIncident(drill, actor: "li-na", engine: engine, now: t0)
        _ = try await store.scan(engine: engine, now: t0, limit: 100)
        let jobs = try await store.outbox(state: nil, limit: 10)
        let notice = try #require(jobs.first { $0.actions.first?.person == "zhang-wei" })
        #expect(notice.actions.map(\.label) == ["确认完成：通知住户"])
        #expect(notice.actions.map(\.action) == [.confirm])
        let link = token(notice.actions[0])
        guard case let .ready(view) = try await store.lookLink(token: link, now: (t0 + 60).seconds, engine: engine) else {
            Issue.record("ready"); return
        }
        #expect(view.isDrill && view.stepTitle == "通知住户" && view.subject == "停水 III级（演练 D1）" && view.place == "翠湖花园 3栋")
        #expect(view.timeLeft == "剩余 9 分钟")
        #expect(try await store.actOnLink(token: link, now: (t0 + 60).seconds, engine: engine) == .done(view, note: "已确认：通知住户"))
        let confirmed = try #require(try await store.incident("D1")?.incident.events.last)
        #expect(confirmed.kind == .confirmed && confirmed.actor == "zhang-wei" && confirmed.via == "link" && confirmed.owner == nil)
        if case let .alreadyDone(_, by, at) = try await store.actOnLink(token: link, now: (t0 + 90).seconds, engine: engine) {
            #expect(by == "张伟" && at == "2025-09-22 10:01")
        } else { Issue.record("second press") }
    }

    @Test func someoneElseConfirmingIsRecordedWithTheOwner() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        let incident = Incident(id: "W1", plan: "water-outage", level: .III, openedAt: t0, site: "翠湖花园", building: "3栋", by: "li-na")
        _ = try await store.openIncident(incident, actor: "li-na", engine: engine, now: t0)
        _ = try await store.scan(engine: engine, now: t0, limit: 100)
        var stored = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 60, actor: "li-na", step: "notice"),
                                            toIncident: "W1", engine: engine, now: t0 + 60)
        #expect(stored.incident.events.last?.owner == "zhang-wei")
        // The owner by display name is the owner.
        stored = try await store.append(IncidentEvent(kind: .confirmed, at: t0 + 120, actor: "李娜", step: "fix"),
                                        toIncident: "W1", engine: engine, now: t0 + 120)
        #expect(stored.incident.events.first { $0.step == "fix" }?.owner == nil)
    }

    @Test func aClosedIncidentsLinkDoesNotApply() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        store.setLinks(try linkMinter())
        let engine = try engine()
        _ = try await store.openIncident(Incident(id: "W2", plan: "water-outage", level: .III, openedAt: t0, by: "li-na"), actor: nil,
                                         engine: engine, now: t0)
        _ = try await store.scan(engine: engine, now: t0, limit: 100)
        let link = try #require(try await store.outbox(state: nil, limit: 10).first { !$0.actions.isEmpty }?.actions.first)
        _ = try await store.append(IncidentEvent(kind: .closed, at: t0 + 30, actor: "li-na", note: "误报"), toIncident: "W2", engine: engine, now: t0 + 30)
        guard case let .notApplicable(_, reason) = try await store.actOnLink(token: token(link), now: (t0 + 60).seconds, engine: engine) else {
            Issue.record("closed"); return
        }
        #expect(reason == "事件已结束")
        guard case .notApplicable = try await store.lookLink(token: token(link), now: (t0 + 60).seconds, engine: engine) else {
            Issue.record("the closed incident's page offers its button"); return
        }
    }

    @Test func version5DatabasesMigrate() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
        try Schema.migrator.migrate(queue, upTo: "v5: outbox title")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO ticket (id, created_at, fields, kind, status, updated_at) VALUES ('T1', 0, '{"kind":"complaint"}', 'complaint', 'open', 0);
                INSERT INTO ticket_event (ticket_id, seq, kind, at, actor, recorded_at) VALUES ('T1', 0, 'created', 0, 'hotline', 0);
                INSERT INTO firing (ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached)
                  VALUES ('T1', 'complaint', 'respond', 0, 0, 0, 0, 0, 0, '[]', '[]');
                INSERT INTO outbox (firing_id, ticket_id, channel, channel_kind, recipients, message, next_attempt_at, created_at, updated_at)
                  VALUES (1, 'T1', 'console', 'log', '[]', 'hello', 0, 0, 0);
                """)
        }
        try queue.close()
        let store = try SQLiteTicketStore.open(folder: folder)
        let events = try #require(try await store.ticket("T1")).ticket.events
        #expect(events == [TicketEventRecord(kind: .created, at: Instant(seconds: 0), actor: "hotline")])
        let job = try #require(try await store.outbox(state: nil, limit: 1).first)
        #expect(job.message == "hello" && job.actions.isEmpty && job.actionsAt == nil)
        let engine = try makeEngine()
        let appended = try await store.append(TicketEventRecord(kind: .acknowledged, at: t0, actor: "zhang-wei", via: "link"), to: "T1",
                                              engine: engine, now: t0)
        #expect(appended.ticket.events.last?.via == "link")
    }
}
