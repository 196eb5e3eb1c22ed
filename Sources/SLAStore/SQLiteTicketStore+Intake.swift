import GRDB
import SLAEngine

/// One delivery of an intake source that was acted on (docs/intake.md): the answer it got, kept so that
/// the same delivery id gets the same answer again and changes nothing.
public struct IntakeDelivery: Sendable, Equatable {
    public let source: String
    public let delivery: String
    public let ticketID: String
    /// `created`, `event` or `unchanged`.
    public let outcome: String
    public let status: Int
    public let answer: String

    public init(source: String, delivery: String, ticketID: String, outcome: String, status: Int, answer: String) {
        self.source = source
        self.delivery = delivery
        self.ticketID = ticketID
        self.outcome = outcome
        self.status = status
        self.answer = answer
    }
}

extension SQLiteTicketStore {
    /// The delivery recorded under this id, if any.
    public func intakeDelivery(source: String, delivery: String) async throws -> IntakeDelivery? {
        try await pool.read { db in try Self.delivery(db, source: source, delivery: delivery) }
    }

    /// Appends `event` (when there is one) to the ticket and records the delivery, in one transaction;
    /// when the delivery id is recorded already, nothing is written and the recorded delivery is returned.
    public func appendIntake(_ event: TicketEventRecord?, delivery: IntakeDelivery, engine: Engine,
                             now: Instant) async throws -> IntakeDelivery? {
        try await auditedWrite { db in
            if let earlier = try Self.delivery(db, source: delivery.source, delivery: delivery.delivery) { return earlier }
            if let event { _ = try Self.append(db, event, to: delivery.ticketID, engine: engine, now: now) }
            try Self.record(db, delivery, now: now)
            return nil
        }
    }

    static func delivery(_ db: Database, source: String, delivery: String) throws -> IntakeDelivery? {
        let row = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT ticket_id, outcome, status, answer FROM intake_delivery WHERE source = ? AND delivery = ?
            """), arguments: [source, delivery])
        return row.map { IntakeDelivery(source: source, delivery: delivery, ticketID: $0[0], outcome: $0[1], status: $0[2], answer: $0[3]) }
    }

    static func record(_ db: Database, _ delivery: IntakeDelivery, now: Instant) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO intake_delivery (source, delivery, ticket_id, outcome, status, answer, at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [delivery.source, delivery.delivery, delivery.ticketID, delivery.outcome, delivery.status,
                                     delivery.answer, now.seconds])
    }
}
