import SLAEngine

/// One notification sent for an incident, as the store records it (one outbox row: one channel).
public struct IncidentNotificationRecord: Sendable, Hashable, Codable {
    /// The plan step.
    public var step: String
    /// `assigned` (the step's owner told) or `overdue` (the plan's `on overdue` recipients told).
    public var kind: String
    /// The channel name from the rules.
    public var channel: String
    /// Display names.
    public var recipients: [String]
    /// When the engine fired it.
    public var queuedAt: Instant
    /// `pending`, `sent` or `dead`.
    public var state: String
    /// When the channel accepted it.
    public var deliveredAt: Instant?
    public var attempts: Int
    /// Why it is still pending or dead (a channel not configured, the last error), when it is not sent.
    public var reason: String?

    public init(step: String, kind: String, channel: String, recipients: [String], queuedAt: Instant,
                state: String, deliveredAt: Instant? = nil, attempts: Int) {
        self.step = step
        self.kind = kind
        self.channel = channel
        self.recipients = recipients
        self.queuedAt = queuedAt
        self.state = state
        self.deliveredAt = deliveredAt
        self.attempts = attempts
    }

    /// Seconds from queueing to delivery, once delivered.
    public var deliveryDelay: Int? { deliveredAt.map { $0 - queuedAt } }
}

/// The zone a report shows its times in. Encoded as its identifier; decoded through the system's zone
/// data (UTC when the identifier is unknown there).
public struct ReportZone: Sendable, Hashable, Codable {
    public let table: ZoneTable

    public init(_ table: ZoneTable) { self.table = table }

    public init(from decoder: any Decoder) throws {
        let identifier = try decoder.singleValueContainer().decode(String.self)
        table = ZoneTable(identifier: identifier) ?? ZoneTable(fixedOffset: 0, identifier: "UTC")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(table.identifier)
    }
}
