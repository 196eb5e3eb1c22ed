import GRDB
import SLAEngine
import Testing
@testable import SLAStore

/// The audit table says through which API token a write came (`via token NAME`), however the store
/// hands the write to GRDB's queue; writes made outside a request say nothing of the kind.
@Suite struct AuditTrailTests {
    @Test func writesMadeUnderATokenNameItInTheAuditDetail() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        try await AuditTrail.$via.withValue("token hotline") {
            _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: "hotline", engine: engine, now: t0)
            _ = try await store.append(TicketEventRecord(kind: .comment, at: t0 + 60, actor: "zhang-wei", note: "已联系"), to: "T1",
                                       engine: engine, now: t0 + 60)
        }
        _ = try await store.create(complaint("T2"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        let job = try #require(try await store.dueOutbox(now: t0 + 5400, limit: 1, excluding: []).first)
        try await AuditTrail.$via.withValue("token ops") {
            _ = try await store.dropOutbox(job.id, actor: nil, now: t0 + 5400)
        }
        let rows = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT action, ticket_id, detail FROM audit ORDER BY id").map { row -> String in
                "\(row["action"] as String) \(row["ticket_id"] as String? ?? "-") \(row["detail"] as String? ?? "-")"
            }
        }
        #expect(rows == [
            "ticket.create T1 via token hotline", "ticket.comment T1 已联系; via token hotline", "ticket.create T2 -",
            "outbox.drop \(job.ticketID ?? "-") outbox \(job.id) (\(job.channel)); via token ops",
        ])
    }
}
