import Foundation
import GRDB
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

/// Many tickets in one transaction (issue 16, intake): each as `create` makes it, one refused rolled back
/// alone, idempotent on each ticket's key, repeats marked against the batch's earlier tickets.
@Suite struct BatchStoreTests {
    @Test func aBatchIsCreatedInOneTransactionAndARefusedTicketChangesNothingElse() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        let engine = try makeEngine()
        _ = try await store.create(complaint("OLD"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let items = [
            NewTicket(ticket: complaint("B1"), idempotencyKey: "k1", actor: "hotline"),
            NewTicket(ticket: complaint("OLD"), idempotencyKey: "k2", actor: nil),       // the id exists: refused
            NewTicket(ticket: complaint("B3", at: t0 - 3 * 3600), idempotencyKey: nil, actor: nil),
        ]
        let results = try await store.createBatch(items, engine: engine, now: t0)
        #expect(results.count == 3)
        #expect((try? results[0].get())?.created == true)
        #expect(results[1].failure == .duplicateTicket("OLD"))
        // B3 arrived three hours after its creation: overdue at once, its due steps indexed as for one create.
        let late = try #require(try? results[2].get())
        #expect(late.created && late.0.overdue)
        #expect(try await store.ticket("B1")?.ticket.id == "B1")
        let rows = try DatabaseQueue(path: folder + "/slad.sqlite")
        let (tickets, keys, actor) = try await rows.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idempotency WHERE key = 'k2'"),
             try String.fetchOne(db, sql: "SELECT actor FROM audit WHERE ticket_id = 'B1' AND action = 'ticket.create'"))
        }
        #expect(tickets == 3)
        #expect(keys == 0, "the refused ticket left nothing")
        #expect(actor == "hotline")
        // Sent again: the keyed ticket is found (200), the others are refused as existing.
        let again = try await store.createBatch(items, engine: engine, now: t0 + 60)
        #expect((try? again[0].get())?.created == false)
        #expect(again[1].failure == .duplicateTicket("OLD") && again[2].failure == .duplicateTicket("B3"))
        // The scan sees the batch's tickets as it sees any other.
        let report = try await store.scan(engine: engine, now: t0 + 60, limit: 100)
        #expect(report.fired.contains { $0.ticketID == "B3" })
    }

    @Test func aNewStateFolderIsTheOwnersAlone() throws {
        let folder = temporaryFolder() + "/state"
        _ = try SQLiteTicketStore.open(folder: folder)
        let mode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    @Test func aRepeatIsMarkedAgainstAnEarlierTicketOfTheSameBatch() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let repairs = RepeatAndScoreStoreTests()
        let engine = try repairs.engine()
        // P1 comes with its whole history, closed; P2 is the same unit's same repair an hour later.
        let history = repairs.repair("P1", at: t0)
        let p1 = Ticket(id: "P1", fields: history.fields, events: history.events + [
            TicketEventRecord(kind: .resolved, at: t0 + 60), TicketEventRecord(kind: .closed, at: t0 + 120),
        ])
        let results = try await store.createBatch([
            NewTicket(ticket: p1, idempotencyKey: nil, actor: nil),
            NewTicket(ticket: repairs.repair("P2", at: t0 + 3600), idempotencyKey: nil, actor: nil),
            NewTicket(ticket: repairs.repair("P3", at: t0 + 3600, unit: "1201"), idempotencyKey: nil, actor: nil),
        ], engine: engine, now: t0 + 3600)
        #expect((try? results[1].get())?.0.ticket.repeatOf == "P1")
        #expect((try? results[2].get())?.0.ticket.repeatOf == nil)
        #expect(try await store.ticket("P2")?.ticket.repeatOf == "P1")
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
