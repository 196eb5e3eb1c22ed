import GRDB
import SLAEngine

extension SQLiteTicketStore {
    /// Many new tickets in one transaction: one commit (one fsync) for the batch instead of one each.
    /// Each ticket is created as `create` would, in its own savepoint, so one that is refused (a duplicate
    /// id, a bad score) is rolled back alone and reported at its place while the others are kept. Tickets
    /// are created in order: a repeat is marked against the tickets before it in the batch too.
    public func createBatch(_ tickets: [NewTicket], engine: Engine, now: Instant) async throws -> [Result<(StoredTicket, created: Bool), StoreError>] {
        try await auditedWrite { db in
            // The savepoint's three statements are prepared once per connection (GRDB's `inSavepoint`
            // prepares them for every ticket); its name is this method's alone.
            let begin = try db.cachedStatement(sql: "SAVEPOINT batch_ticket")
            let release = try db.cachedStatement(sql: "RELEASE SAVEPOINT batch_ticket")
            let rollback = try db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT batch_ticket")
            return try tickets.map { item in
                try begin.execute()
                do {
                    // Each ticket is audited with the way it came (group commit joins callers of several tokens).
                    let created = try AuditTrail.$via.withValue(item.via) {
                        try Self.create(db, item.ticket, idempotencyKey: item.idempotencyKey, actor: item.actor, engine: engine, now: now)
                    }
                    if let delivery = item.intake, created.created { try Self.record(db, delivery, now: now) }
                    try release.execute()
                    return .success(created)
                } catch {
                    // This ticket alone is undone; when undoing fails too, the first error is the one thrown.
                    let undone = (try? rollback.execute()) != nil && (try? release.execute()) != nil
                    guard undone, let refusal = error as? StoreError else { throw error }
                    return .failure(refusal)
                }
            }
        }
    }
}

/// One ticket of a batch: the ticket, its idempotency key and who entered it.
public struct NewTicket: Sendable {
    public let ticket: Ticket
    public let idempotencyKey: String?
    public let actor: String?
    /// Through what it came, for the audit (`token desk`); by default the calling task's `AuditTrail.via`.
    public let via: String?
    /// The intake delivery that brought it, recorded with it (`POST /v1/intake/SOURCE`).
    public var intake: IntakeDelivery?

    public init(ticket: Ticket, idempotencyKey: String?, actor: String?, via: String? = AuditTrail.via) {
        self.ticket = ticket
        self.idempotencyKey = idempotencyKey
        self.actor = actor
        self.via = via
    }
}
