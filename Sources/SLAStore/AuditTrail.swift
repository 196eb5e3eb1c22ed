import GRDB

/// Through what a write came, for the audit table (`via token desk`, as `via link` for an action link's
/// button): the API sets it around each write with the name of the token that made it (never the token).
public enum AuditTrail {
    @TaskLocal public static var via: String?

    /// `detail` with `via …` after it, when the write came through a named way.
    static func detail(_ detail: String?) -> String? {
        guard let via else { return detail }
        return [detail, "via \(via)"].compactMap { $0 }.joined(separator: "; ")
    }
}

extension SQLiteTicketStore {
    /// `pool.write` carrying `AuditTrail.via` into the write's closure, which runs off the calling task.
    func auditedWrite<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let via = AuditTrail.via
        return try await pool.write { db in try AuditTrail.$via.withValue(via) { try updates(db) } }
    }
}
