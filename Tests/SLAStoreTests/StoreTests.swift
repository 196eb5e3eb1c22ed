import Foundation
import GRDB
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

let storeRules = """
calendar cn { timezone Asia/Shanghai; workdays mon-fri }
hours office { calendar cn; 09:00-18:00 }
person zhang-wei "张伟" { phone "+8613800000001" }
person li-na "李娜" { phone "+8613800000002" }
team cs { members zhang-wei; supervisor li-na; manager li-na }
channel sms sms-http { url "http://127.0.0.1:9000/send"; token env SMS_TOKEN }
channel console log {}
policy complaint { when kind = complaint; team cs
  clock respond "首次响应" within 2h until acknowledged
  escalate {
    at respond - 30m notify assignee via sms, console
    at respond notify supervisor via sms, console repeat every 1h until acknowledged max 3
  }
}
"""

func makeEngine() throws -> Engine {
    let result = RuleLoader.check([SourceFile(path: "t.sla", text: storeRules)])
    return try Engine(rules: try #require(result.ruleSet))
}

func temporaryFolder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("slad-store-\(UUID().uuidString)").path
}

let t0 = Instant(seconds: 1_758_506_400)   // 2025-09-22T10:00:00+08:00

func complaint(_ id: String, at instant: Instant = t0) -> Ticket {
    Ticket(id: id, fields: TicketFields(kind: "complaint", building: "3栋", assignee: "zhang-wei"), createdAt: instant)
}

@Suite struct StoreTests {
    @Test func ticketsSurviveReopeningTheDatabase() async throws {
        let folder = temporaryFolder()
        let engine = try makeEngine()
        do {
            let store = try SQLiteTicketStore.open(folder: folder)
            let (stored, created) = try await store.create(complaint("T1"), idempotencyKey: nil, actor: "hotline", engine: engine, now: t0)
            #expect(created)
            #expect(stored.policy == "complaint")
            #expect(stored.nextDue == t0 + 5400)
        }
        let reopened = try SQLiteTicketStore.open(folder: folder)
        let loaded = try #require(try await reopened.ticket("T1"))
        #expect(loaded.ticket == complaint("T1"))
        #expect(FileManager.default.fileExists(atPath: folder + "/slad.sqlite-wal") || FileManager.default.fileExists(atPath: folder + "/slad.sqlite"))
    }

    @Test func idempotencyKeyReturnsTheFirstTicket() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: "k1", actor: nil, engine: engine, now: t0)
        let (again, created) = try await store.create(complaint("T2"), idempotencyKey: "k1", actor: nil, engine: engine, now: t0)
        #expect(!created)
        #expect(again.ticket.id == "T1")
        #expect(try await store.ticket("T2") == nil)
        await #expect(throws: StoreError.duplicateTicket("T1")) {
            _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        }
    }

    @Test func scansFireEachStepOnceWithOutboxRows() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let early = try await store.scan(engine: engine, now: t0 + 60, limit: 100)
        #expect(early.evaluated == 0)   // nothing due: the index is not even touched for this ticket
        let first = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        #expect(first.fired.map(\.firing.step) == ["respond - 30m"])
        #expect(first.outboxRows == 2)
        let again = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        #expect(again.fired.isEmpty)
        // Three hours late: the respond step fires once, as its latest repeat.
        let late = try await store.scan(engine: engine, now: t0 + 7200 + 3 * 3600, limit: 100)
        #expect(late.fired.map { "\($0.firing.step) #\($0.firing.repeatIndex)" } == ["respond #2"])
        #expect(late.fired.first?.missed == 2)
        let firings = try await store.firings(of: "T1")
        #expect(firings.count == 2)
        let outbox = try await store.outbox(state: "pending", limit: 10)
        #expect(outbox.count == 4)
        #expect(outbox.first?.message.contains("【complaint·首次响应】3栋 工单 T1") == true)
        #expect(try await store.ticket("T1")?.nextDue == nil)   // max 3 reached, nothing more to do
    }

    /// The delivery service's group commit: several attempts in one transaction, each exactly as
    /// `recordAttempt` would write it; a job dropped meanwhile stays dropped.
    @Test func attemptsRecordedTogetherMoveEachJobOn() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.create(complaint("T2"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        let jobs = try await store.dueOutbox(now: t0 + 5400, limit: 10, excluding: [])
        #expect(jobs.count == 4)
        _ = try await store.dropOutbox(jobs[3].id, actor: "ops", now: t0 + 5400)
        let now = t0 + 5401
        let results = try await store.recordAttempts([
            (DeliveryAttempt(outboxID: jobs[0].id, result: .sent, detail: nil, nextAttempt: nil, durationMilliseconds: 3), now),
            (DeliveryAttempt(outboxID: jobs[1].id, result: .retry, detail: "HTTP 503", nextAttempt: now + 2, durationMilliseconds: 4), now),
            (DeliveryAttempt(outboxID: jobs[2].id, result: .dead, detail: "HTTP 400", nextAttempt: nil, durationMilliseconds: 5), now),
            (DeliveryAttempt(outboxID: jobs[3].id, result: .sent, detail: nil, nextAttempt: nil, durationMilliseconds: 6), now),
        ])
        #expect(results.map { $0?.state } == ["sent", "pending", "dead", "dead"])
        #expect(results.map { $0?.attempts } == [1, 1, 1, 0])
        #expect(try await store.dueOutbox(now: now + 1, limit: 10, excluding: []).isEmpty)
        #expect(try await store.dueOutbox(now: now + 2, limit: 10, excluding: []).map(\.id) == [jobs[1].id])
        let t1 = try await store.attempts(ticket: "T1")
        let recorded = t1 + (try await store.attempts(ticket: "T2"))
        #expect(Set(recorded.map(\.result)) == ["sent", "retry", "dead", "dropped"])
        #expect(recorded.filter { $0.outboxID == jobs[3].id }.map(\.result) == ["dropped"])
    }

    @Test func anAlreadyRecordedFiringIsNeverWrittenTwice() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        let engine = try makeEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        // Simulate a crash after the firing was committed but before next_due moved on.
        _ = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        try await store.pool.write { db in try db.execute(sql: "UPDATE ticket SET next_due = ?", arguments: [t0.seconds + 5400]) }
        let retry = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        #expect(retry.fired.isEmpty)
        #expect(try await store.outbox(state: nil, limit: 10).count == 2)
    }

    @Test func eventsAreCheckedAgainstTheLifecycle() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let acked = try await store.append(TicketEventRecord(kind: .acknowledged, at: t0 + 600, actor: "zhang-wei"), to: "T1", engine: engine, now: t0 + 600)
        #expect(acked.status == "acknowledged")
        #expect(acked.nextDue == nil)
        _ = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 700), to: "T1", engine: engine, now: t0 + 700)
        await #expect(throws: StoreError.refused("a closed ticket cannot be resolved; reopen it first")) {
            _ = try await store.append(TicketEventRecord(kind: .resolved, at: t0 + 800), to: "T1", engine: engine, now: t0 + 800)
        }
        #expect(try await store.ticket("T1")?.ticket.events.count == 3)
        await #expect(throws: StoreError.unknownTicket("nope")) {
            _ = try await store.append(TicketEventRecord(kind: .comment, at: t0), to: "nope", engine: engine, now: t0)
        }
    }

    @Test func listFilters() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        for index in 1...3 { _ = try await store.create(complaint("T\(index)"), idempotencyKey: nil, actor: nil, engine: engine, now: t0) }
        _ = try await store.append(TicketEventRecord(kind: .acknowledged, at: t0 + 60), to: "T2", engine: engine, now: t0 + 60)
        #expect(try await store.list(TicketFilter(status: "acknowledged")).map(\.ticket.id) == ["T2"])
        #expect(try await store.list(TicketFilter(policy: "complaint", limit: 2)).map(\.ticket.id) == ["T1", "T2"])
        #expect(try await store.list(TicketFilter(overdue: true)).isEmpty)
    }

    @Test func aDatabaseFromANewerSladIsRefused() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
        }
        #expect(throws: (any Error).self) { _ = try SQLiteTicketStore.open(folder: folder) }
        do {
            _ = try SQLiteTicketStore.open(folder: folder)
        } catch {
            #expect(error.exitCode == 65)
            #expect(error.description.contains("newer slad"))
        }
    }

    @Test func anUnwritableFolderIsRefused() {
        do {
            _ = try SQLiteTicketStore.open(folder: "/proc/slad-cannot-be-here")
            Issue.record("opened a store under /proc")
        } catch {
            #expect(error.exitCode == 73)
            #expect(error.description.contains("cannot be written"))
        }
    }
}

@Suite struct StoreJSONTests {
    @Test func roundTripsTextThatResidentsType() throws {
        let nasty = "他说：\"水管\\爆了\"\n第二行\t\u{01}@all <a href=x>"
        var fields = TicketFields(kind: "complaint", building: "3栋", assignee: "zhang-wei", tags: ["紧急", "a\"b"], text: nasty)
        fields.grade = "A"
        #expect(try StoreJSON.readFields(StoreJSON.fields(fields)) == fields)
        #expect(try StoreJSON.readStrings(StoreJSON.strings([nasty, ""])) == [nasty, ""])
        let recipients = [OutboxJob.Recipient(person: "li-na", name: "李娜", address: nil)]
        #expect(try StoreJSON.readRecipients(StoreJSON.recipients(recipients)) == recipients)
        #expect(try StoreJSON.readChanges(StoreJSON.changes(["status": "waiting-customer", "note": nasty])) == ["status": "waiting-customer", "note": nasty])
    }
}

@Suite struct FlatObjectTests {
    @Test func readsWhatTheStoreWritesAndRefusesTheRest() throws {
        let fields = TicketFields(kind: "repair", building: "3栋", tags: ["a", "紧急"], text: "漏水\\n\"急\"")
        let parsed = try #require(FlatObject.parse(StoreJSON.fields(fields)))
        #expect(parsed["building"] as? String == "3栋")
        #expect(parsed["tags"] as? [String] == ["a", "紧急"])
        #expect(parsed["text"] as? String == "漏水\\n\"急\"")
        #expect(FlatObject.parse(#"{"a": 1}"#) == nil)
        #expect(FlatObject.parse(#"{"a": "x""#) == nil)
        #expect(FlatObject.parse(#"{"a": "x"} trailing"#) == nil)
        #expect(FlatObject.parse("{}")?.isEmpty == true)
    }

    @Test func readsArraysOfFlatObjectsAsRecipientsAreStored() throws {
        let recipients = [OutboxJob.Recipient(person: "duty", name: "值班员 \"甲\"", address: "+86 138"), .init(person: "b", name: nil, address: nil)]
        let parsed = try #require(FlatObject.parseArray(StoreJSON.recipients(recipients)))
        #expect(parsed.count == 2 && parsed[0]["name"] as? String == "值班员 \"甲\"" && parsed[1]["name"] == nil)
        #expect(FlatObject.parseArray("[]")?.isEmpty == true)
        #expect(FlatObject.parseArray(" [ { } ] ")?.count == 1)
        for refused in [#"[{"a": 1}]"#, #"[{"a": "x"},]"#, #"[{"a": "x"}"#, #"{"a": "x"}"#, #"[{"a": "x"}] x"#] {
            #expect(FlatObject.parseArray(refused) == nil, "\(refused)")
        }
    }
}
