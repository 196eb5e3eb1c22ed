import Foundation
import GRDB
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

/// Routing at creation (docs/dispatch.md): the store supplies the workload inside the create's
/// transaction, so tickets created together balance, and round robin's turn survives a restart (v11).
@Suite struct RoutingStoreTests {
    static let rules = storeRules + """

    person a { phone "1" }
    person b { phone "2" }
    team crew { members a, b }
    team ring { members a, b }
    route least { when kind = repair and category = leak; to team crew by least open }
    route turns { when kind = repair and category = parking; to team ring by round robin }
    """

    func routingEngine() throws -> Engine {
        let result = RuleLoader.check([SourceFile(path: "t.sla", text: Self.rules)])
        return try Engine(rules: try #require(result.ruleSet, "\(result.diagnostics)"))
    }

    func repair(_ id: String, _ category: String, assignee: String? = nil) -> Ticket {
        Ticket(id: id, fields: TicketFields(kind: "repair", category: category, assignee: assignee), createdAt: t0)
    }

    @Test func aBatchBalancesByLeastOpenAsItGoes() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try routingEngine()
        let items = ["L1", "L2", "L3"].map { NewTicket(ticket: repair($0, "leak"), idempotencyKey: nil, actor: "hotline") }
        let results = try await store.createBatch(items, engine: engine, now: t0)
        let assignees = try results.map { try $0.get().0.ticket.events.last?.changes?["assignee"] }
        #expect(assignees == ["a", "b", "a"])
        let stored = try #require(try await store.ticket("L2"))
        #expect(stored.status == "assigned")
        #expect(stored.ticket.events.map(\.kind) == [.created, .assigned])
        #expect(stored.ticket.events[1].actor == "route:least")
        #expect(try await store.list(TicketFilter(assignee: "b")).map(\.ticket.id) == ["L2"])
    }

    @Test func roundRobinRemembersItsTurnAcrossReopeningTheStore() async throws {
        let folder = temporaryFolder()
        let engine = try routingEngine()
        do {
            let store = try SQLiteTicketStore.open(folder: folder)
            _ = try await store.create(repair("P1", "parking"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        }
        let store = try SQLiteTicketStore.open(folder: folder)
        let (second, _) = try await store.create(repair("P2", "parking"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        #expect(second.ticket.events.last?.changes?["assignee"] == "b")
        let rows = try DatabaseQueue(path: folder + "/slad.sqlite")
        let audit = try await rows.read { db in
            try String.fetchAll(db, sql: "SELECT actor || ' ' || detail FROM audit WHERE action = 'ticket.route' ORDER BY id")
        }
        #expect(audit == ["route:turns route turns → a; team 'ring' by round robin",
                          "route:turns route turns → b; team 'ring' by round robin (after a)"])
    }

    @Test func aTicketWithAnAssigneeOrAReplayedKeyIsNotRoutedAgain() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try routingEngine()
        let (given, _) = try await store.create(repair("G1", "leak", assignee: "b"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        #expect(given.ticket.events.map(\.kind) == [.created])
        _ = try await store.create(repair("K1", "parking"), idempotencyKey: "k", actor: nil, engine: engine, now: t0)
        let (again, created) = try await store.create(repair("K1", "parking"), idempotencyKey: "k", actor: nil, engine: engine, now: t0 + 5)
        #expect(!created)
        #expect(again.ticket.events.filter { $0.kind == .assigned }.count == 1)
    }
}
