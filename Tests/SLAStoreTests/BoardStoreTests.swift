import Foundation
import GRDB
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

/// The 看板's store reads: the at-risk list (soonest first), the breached list (longest overdue first),
/// their totals beyond the limit, per-policy counts and open incidents — kept current by every write path
/// (create, append, scan).
@Suite struct BoardStoreTests {
    let now = t0 + 900   // 10:15; policy `repair`: respond within 30m until acknowledged

    func engine() throws -> Engine {
        try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "p.sla", text: incidentRules)]).ruleSet))
    }

    func repair(_ id: String, at created: Instant) -> Ticket {
        Ticket(id: id, fields: TicketFields(kind: "repair", category: "water", site: "翠湖花园", building: "3栋", assignee: "zhang-wei"),
               createdAt: created)
    }

    /// A and B due within the hour, C and D overdue (C longer), E answered in time, F matched by no policy.
    func filled() async throws -> (SQLiteTicketStore, Engine) {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try engine()
        for (id, created) in [("A", t0), ("B", t0 + 600), ("C", t0 - 7200), ("D", t0 - 3600), ("E", t0 - 3600)] {
            _ = try await store.create(repair(id, at: created), idempotencyKey: nil, actor: nil, engine: engine, now: now)
        }
        _ = try await store.append(TicketEventRecord(kind: .acknowledged, at: t0 - 3000), to: "E", engine: engine, now: now)
        _ = try await store.create(Ticket(id: "F", fields: TicketFields(kind: "complaint"), createdAt: t0), idempotencyKey: nil, actor: nil,
                                   engine: engine, now: now)
        return (store, engine)
    }

    @Test func listsAtRiskSoonestFirstAndBreachedLongestOverdueFirst() async throws {
        let (store, _) = try await filled()
        let board = try await store.board(now: now, within: 3600, limit: 50)
        #expect(board.atRisk.map(\.id) == ["A", "B"])
        #expect(board.atRisk.map(\.deadline) == [t0 + 1800, t0 + 2400])
        #expect(board.atRisk.allSatisfy { $0.clock == "respond" && $0.assignee == "zhang-wei" && $0.fields.site == "翠湖花园" })
        #expect(board.breached.map(\.id) == ["C", "D"])
        #expect(board.breached.map(\.deadline) == [t0 - 5400, t0 - 1800])
        #expect(board.atRiskTotal == 2 && board.breachedTotal == 2)
        #expect(board.policies == [PolicyCount(policy: "", open: 1, overdue: 0), PolicyCount(policy: "repair", open: 5, overdue: 2)])
    }

    @Test func aLimitCutsTheListButNotItsTotal() async throws {
        let (store, _) = try await filled()
        let board = try await store.board(now: now, within: 3600, limit: 1)
        #expect(board.atRisk.map(\.id) == ["A"] && board.atRiskTotal == 2)
        #expect(board.breached.map(\.id) == ["C"] && board.breachedTotal == 2)
        // Due within 20 minutes: A only.
        #expect(try await store.board(now: now, within: 1200, limit: 50).atRisk.map(\.id) == ["A"])
    }

    @Test func theScanMovesARunOutTicketToBreachedAndAnAnswerTakesItOff() async throws {
        let (store, engine) = try await filled()
        _ = try await store.scan(engine: engine, now: t0 + 1860, limit: 100)
        var board = try await store.board(now: t0 + 1860, within: 3600, limit: 50)
        #expect(board.atRisk.map(\.id) == ["B"])
        #expect(board.breached.map(\.id) == ["C", "D", "A"])
        _ = try await store.append(TicketEventRecord(kind: .acknowledged, at: t0 + 1900), to: "C", engine: engine, now: t0 + 1900)
        board = try await store.board(now: t0 + 1900, within: 3600, limit: 50)
        #expect(board.breached.map(\.id) == ["D", "A"] && board.breachedTotal == 2)
    }

    @Test func listsOpenIncidentsAndDrills() async throws {
        let (store, engine) = try await filled()
        _ = try await store.openIncident(Incident(id: "W1", plan: "water-outage", level: .III, openedAt: now, isDrill: true, site: "翠湖花园"),
                                         actor: nil, engine: engine, now: now)
        _ = try await store.openIncident(Incident(id: "P1", plan: "pumps", level: .III, openedAt: now + 60), actor: nil, engine: engine, now: now + 60)
        _ = try await store.append(IncidentEvent(kind: .confirmed, at: now + 120, step: "pump"), toIncident: "P1", engine: engine, now: now + 120)
        let board = try await store.board(now: now + 120, within: 3600, limit: 50)
        #expect(board.incidents.map(\.incident.id) == ["W1"] && board.incidentsTotal == 1)   // P1 closed with its only step
    }

    /// A store from before the columns: the migration adds them and forgets the rules version, so that
    /// the daemon's next start re-evaluates every open ticket and fills them.
    @Test func theMigrationMakesTheNextStartReevaluate() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
        try Schema.migrator.migrate(queue, upTo: "v6: action links")
        try await queue.write { db in try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('rules_version', 'abc')") }
        try queue.close()
        let store = try SQLiteTicketStore.open(folder: folder)
        #expect(try await store.meta("rules_version") == nil)
        let columns = try await store.pool.read { db in try db.columns(in: "ticket").map(\.name) }
        #expect(columns.contains("deadline") && columns.contains("breached_at"))
    }
}
