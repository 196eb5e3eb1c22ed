import Foundation
import GRDB
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

/// Issue 14 in the store: revisit scores (migration v7's `score` column) and `repeatOf`, marked at creation
/// from the closed tickets' `repeat_key` / `closed_at` through the `ticket_repeat` index.
@Suite struct RepeatAndScoreStoreTests {
    static let rules = storeRules + """

    policy repair { when kind = repair; team cs
      clock fix "修复" within 1d until resolved
      clock revisit "回访" within 7d from resolved until revisited
      escalate { at fix notify supervisor via console }
    }
    repeats { within 30d }
    """

    func engine(repeats: Bool = true) throws -> Engine {
        let text = repeats ? Self.rules : Self.rules.replacingOccurrences(of: "repeats { within 30d }", with: "")
        let result = RuleLoader.check([SourceFile(path: "t.sla", text: text)])
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        return try Engine(rules: try #require(result.ruleSet))
    }

    func repair(_ id: String, at instant: Instant, unit: String? = "1102", category: String? = "pipe", site: String? = "翠湖花园") -> Ticket {
        Ticket(id: id, fields: TicketFields(kind: "repair", category: category, site: site, building: "3栋", unit: unit), createdAt: instant)
    }

    /// Creates, resolves and closes a repair at `closedAt`.
    func closedRepair(_ store: SQLiteTicketStore, _ id: String, created: Instant, closedAt: Instant, engine: Engine,
                      unit: String? = "1102") async throws {
        _ = try await store.create(repair(id, at: created, unit: unit), idempotencyKey: nil, actor: nil, engine: engine, now: created)
        _ = try await store.append(TicketEventRecord(kind: .resolved, at: closedAt - 60), to: id, engine: engine, now: closedAt - 60)
        _ = try await store.append(TicketEventRecord(kind: .closed, at: closedAt), to: id, engine: engine, now: closedAt)
    }

    @Test func aNewTicketLikeOneClosedWithinTheWindowRepeatsIt() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        try await closedRepair(store, "R1", created: t0, closedAt: t0 + 3600, engine: engine)
        try await closedRepair(store, "R2", created: t0 + 7200, closedAt: t0 + 10_800, engine: engine)
        let day = 86_400
        let (again, _) = try await store.create(repair("R3", at: t0 + 2 * day), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 2 * day)
        #expect(again.ticket.repeatOf == "R2", "the most recently closed one")
        #expect(try await store.ticket("R3")?.ticket.repeatOf == "R2")
        // Another unit, another category, no site: not repeats.
        let other = try await store.create(repair("R4", at: t0 + 2 * day, unit: "1201"), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 2 * day)
        #expect(other.0.ticket.repeatOf == nil)
        let category = try await store.create(repair("R5", at: t0 + 2 * day, category: "lift"), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 2 * day)
        #expect(category.0.ticket.repeatOf == nil)
        let siteless = try await store.create(repair("R6", at: t0 + 2 * day, site: nil), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 2 * day)
        #expect(siteless.0.ticket.repeatOf == nil)
        // 31 days after the last close: outside the window.
        let late = t0 + 10_800 + 31 * day
        #expect(try await store.create(repair("R7", at: late), idempotencyKey: nil, actor: nil, engine: engine, now: late).0.ticket.repeatOf == nil)
    }

    @Test func missingUnitsEqualOnlyMissingUnits() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        try await closedRepair(store, "U1", created: t0, closedAt: t0 + 3600, engine: engine, unit: nil)
        let blank = try await store.create(repair("U2", at: t0 + 7200, unit: ""), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 7200)
        #expect(blank.0.ticket.repeatOf == nil)
        let withUnit = try await store.create(repair("U3", at: t0 + 7200), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 7200)
        #expect(withUnit.0.ticket.repeatOf == nil)
        let missing = try await store.create(repair("U4", at: t0 + 7200, unit: nil), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 7200)
        #expect(missing.0.ticket.repeatOf == "U1")
    }

    @Test func reopenedOpenAndUnconfiguredAreNotRepeated() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        try await closedRepair(store, "O1", created: t0, closedAt: t0 + 3600, engine: engine)
        _ = try await store.append(TicketEventRecord(kind: .reopened, at: t0 + 4000), to: "O1", engine: engine, now: t0 + 4000)
        #expect(try await store.create(repair("O2", at: t0 + 5000), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 5000).0.ticket.repeatOf == nil)
        // Closed again: found again, at its new close.
        _ = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 6000), to: "O1", engine: engine, now: t0 + 6000)
        #expect(try await store.create(repair("O3", at: t0 + 7000), idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 7000).0.ticket.repeatOf == "O1")
        // Rules without a repeats block mark nothing.
        let plain = try self.engine(repeats: false)
        #expect(try await store.create(repair("O4", at: t0 + 8000), idempotencyKey: nil, actor: nil, engine: plain, now: t0 + 8000).0.ticket.repeatOf == nil)
    }

    @Test func theLookupUsesTheIndex() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let plan = try await store.pool.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT id FROM ticket WHERE repeat_key = ? AND closed_at BETWEEN ? AND ? AND id != ?
                ORDER BY closed_at DESC, id DESC LIMIT 1
                """, arguments: ["k", 0, 1, "x"]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("INDEX ticket_repeat (repeat_key=? AND closed_at>? AND closed_at<?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test func revisitScoresAreStoredAndBadOnesChangeNothing() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        let engine = try engine()
        _ = try await store.create(repair("S1", at: t0), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.append(TicketEventRecord(kind: .resolved, at: t0 + 60), to: "S1", engine: engine, now: t0 + 60)
        for (kind, score) in [(EventKind.revisited, 6), (.revisited, 0), (.comment, 3)] {
            await #expect(throws: StoreError.self) {
                _ = try await store.append(TicketEventRecord(kind: kind, at: t0 + 120, score: score), to: "S1", engine: engine, now: t0 + 120)
            }
        }
        #expect(try await store.ticket("S1")?.ticket.events.count == 2)
        let visit = TicketEventRecord(kind: .revisited, at: t0 + 180, actor: "li-na", note: "地面没清理干净", score: 4)
        _ = try await store.append(visit, to: "S1", engine: engine, now: t0 + 180)
        let reopened = try SQLiteTicketStore.open(folder: folder)
        #expect(try await reopened.ticket("S1")?.ticket.events.last == visit)
        // A history with a bad score is refused whole.
        var bad = repair("S2", at: t0)
        bad.append(TicketEventRecord(kind: .revisited, at: t0 + 60, score: 9))
        await #expect(throws: StoreError.self) { _ = try await store.create(bad, idempotencyKey: nil, actor: nil, engine: engine, now: t0 + 60) }
        #expect(try await store.ticket("S2") == nil)
    }

    /// A version 6 database: its closed tickets get their repeat key, so that new tickets repeat them.
    @Test func version6DatabasesMigrate() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
        try Schema.migrator.migrate(queue, upTo: "v6: action links")
        let closed = (t0 + 3600).seconds
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO ticket (id, created_at, fields, kind, site, status, updated_at)
                  VALUES ('M1', ?, '{"kind":"repair","category":"pipe","site":"翠湖花园","building":"3栋","unit":"1102"}', 'repair', '翠湖花园', 'closed', ?);
                INSERT INTO ticket_event (ticket_id, seq, kind, at, recorded_at) VALUES ('M1', 0, 'created', ?, ?);
                INSERT INTO ticket_event (ticket_id, seq, kind, at, recorded_at) VALUES ('M1', 1, 'closed', ?, ?);
                """, arguments: [t0.seconds, closed, t0.seconds, t0.seconds, closed, closed])
        }
        try queue.close()
        let store = try SQLiteTicketStore.open(folder: folder)
        #expect(try await store.ticket("M1")?.ticket.events.map(\.score) == [nil, nil])
        let (stored, _) = try await store.create(repair("M2", at: t0 + 7200), idempotencyKey: nil, actor: nil, engine: try engine(), now: t0 + 7200)
        #expect(stored.ticket.repeatOf == "M1")
    }
}
