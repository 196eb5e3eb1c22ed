import Foundation
import GRDB
import SLAEngine
import SLARules
import Testing
@testable import SLAStore

/// Intake deliveries (issue 17, migration v10): recorded with the ticket they create (in the batch's
/// savepoint) or with the event they append (one transaction); the same delivery id again writes nothing
/// and gives back what was recorded; a refused creation records no delivery.
@Suite struct IntakeDeliveryStoreTests {
    func delivery(_ id: String, ticket: String, outcome: String) -> IntakeDelivery {
        IntakeDelivery(source: "hotline", delivery: id, ticketID: ticket, outcome: outcome, status: outcome == "created" ? 201 : 200,
                       answer: #"{"outcome":"\#(outcome)"}"#)
    }

    @Test func deliveriesAreRecordedWithWhatTheyWroteAndOnlyOnce() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        let engine = try makeEngine()
        var first = NewTicket(ticket: complaint("hotline-1"), idempotencyKey: nil, actor: "intake:hotline")
        first.intake = delivery("d1", ticket: "hotline-1", outcome: "created")
        var refused = NewTicket(ticket: complaint("hotline-1"), idempotencyKey: nil, actor: "intake:hotline")
        refused.intake = delivery("d9", ticket: "hotline-1", outcome: "created")
        let results = try await store.createBatch([first, refused], engine: engine, now: t0)
        #expect((try? results[0].get())?.created == true && results[1].failure == .duplicateTicket("hotline-1"))
        #expect(try await store.intakeDelivery(source: "hotline", delivery: "d1") == first.intake)
        #expect(try await store.intakeDelivery(source: "hotline", delivery: "d9") == nil, "the refused creation recorded nothing")

        let ack = TicketEventRecord(kind: .acknowledged, at: t0 + 60, actor: "intake:hotline")
        let event = delivery("d2", ticket: "hotline-1", outcome: "event")
        #expect(try await store.appendIntake(ack, delivery: event, engine: engine, now: t0 + 60) == nil)
        // The same delivery again: the recorded one back, and no second event.
        #expect(try await store.appendIntake(ack, delivery: event, engine: engine, now: t0 + 120) == event)
        #expect(try await store.ticket("hotline-1")?.ticket.events.map(\.kind) == [.created, .acknowledged])
        // Another source may use the same delivery id.
        #expect(try await store.intakeDelivery(source: "erp", delivery: "d2") == nil)
        // An event the lifecycle refuses records no delivery either.
        let reopen = TicketEventRecord(kind: .reopened, at: t0 + 180, actor: "intake:hotline")
        await #expect(throws: StoreError.self) {
            try await store.appendIntake(reopen, delivery: delivery("d3", ticket: "hotline-1", outcome: "event"), engine: engine, now: t0 + 180)
        }
        #expect(try await store.intakeDelivery(source: "hotline", delivery: "d3") == nil)
    }
}
