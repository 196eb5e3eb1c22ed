import Foundation
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

/// `create` answers with the ticket it has just written instead of reading it back (issue 16, intake):
/// the answer must be exactly what reading it back gives, for every kind of ticket a create can make.
@Suite struct CreateAnswerTests {
    func expectSame(_ answer: StoredTicket, as store: SQLiteTicketStore, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let read = try #require(try await store.ticket(answer.ticket.id), sourceLocation: sourceLocation)
        #expect(answer.ticket == read.ticket, sourceLocation: sourceLocation)
        #expect(answer.status == read.status && answer.policy == read.policy && answer.cycle == read.cycle, sourceLocation: sourceLocation)
        #expect(answer.overdue == read.overdue && answer.nextDue == read.nextDue && answer.updatedAt == read.updatedAt, sourceLocation: sourceLocation)
        #expect(answer.incidentID == read.incidentID, sourceLocation: sourceLocation)
    }

    @Test func theAnswerIsWhatReadingTheTicketBackGives() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        // Plain, overdue on arrival, every field and an event with changes, a note, a score-less history.
        var full = Ticket(id: "F1", fields: TicketFields(kind: "complaint", category: "noise", grade: "B", priority: "high", site: "翠湖花园",
                                                         building: "3栋", unit: "2单元1102", reporter: "王女士", assignee: "zhang-wei",
                                                         source: "hotline", tags: ["夜间", "a/b \"q\""], text: "楼上\n深夜噪音"),
                          createdAt: t0 - 600, createdBy: "desk")
        full = full.appending(TicketEventRecord(kind: .assigned, at: t0 - 300, actor: "desk", note: "转派", changes: ["assignee": "li-na"]))
        for ticket in [complaint("P1"), complaint("LATE", at: t0 - 3 * 3600), full] {
            let (answer, created) = try await store.create(ticket, idempotencyKey: "key-\(ticket.id)", actor: "desk", engine: engine, now: t0)
            #expect(created)
            try await expectSame(answer, as: store)
        }
        let batch = try await store.createBatch([NewTicket(ticket: complaint("B1"), idempotencyKey: nil, actor: nil)], engine: engine, now: t0)
        try await expectSame(try #require(try batch[0].get()).0, as: store)
    }

    @Test func anIncidentLinkAndARepeatAreInTheAnswer() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let result = RuleLoader.check([SourceFile(path: "p.sla", text: incidentRules)])
        let engine = try Engine(rules: try #require(result.ruleSet))
        // The report that declares the outage, then a ticket the open incident explains.
        let outage = Ticket(id: "O1", fields: TicketFields(kind: "incident", category: "water-outage", site: "翠湖花园", building: "3栋"), createdAt: t0)
        let (declaring, _) = try await store.create(outage, idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        try await expectSame(declaring, as: store)
        let explained = Ticket(id: "R1", fields: TicketFields(kind: "repair", category: "no-water", site: "翠湖花园", building: "3栋"), createdAt: t0 + 60)
        let (answer, _) = try await store.create(explained, idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 60)
        #expect(answer.incidentID != nil)
        try await expectSame(answer, as: store)
        // A repeat of a closed repair.
        let repairs = RepeatAndScoreStoreTests()
        let repeatEngine = try repairs.engine()
        let history = repairs.repair("C1", at: t0)
        let closed = Ticket(id: "C1", fields: history.fields, events: history.events + [
            TicketEventRecord(kind: .resolved, at: t0 + 60), TicketEventRecord(kind: .closed, at: t0 + 120),
        ])
        _ = try await store.create(closed, idempotencyKey: nil, actor: nil, engine: repeatEngine, now: t0 + 3600)
        let (again, _) = try await store.create(repairs.repair("C2", at: t0 + 3600), idempotencyKey: nil, actor: nil, engine: repeatEngine, now: t0 + 3600)
        #expect(again.ticket.repeatOf == "C1")
        try await expectSame(again, as: store)
    }
}
