import Foundation
import GRDB
import SLAEngine
import SLAFormats
import SLARules

/// The escalation contract every store implements — SQLite (`SQLiteTicketStore`), memory
/// (`MemoryTicketStore`) and, later, PostgreSQL — and that `StoreContractTests` runs against each: tickets in
/// and out, the scan (read the due rows, `ScanDecision` decides, apply its plan in one transaction), the
/// outbox's delivery core and incidents. Every method that writes runs in one transaction: a crash leaves
/// the store as it was before the call or after it, never between (docs/adr/0030).
public protocol EscalationStore: IncidentCore, Sendable {
    /// Opens a ticket. With an idempotency key seen before, returns the first ticket and `created == false`.
    func create(_ ticket: Ticket, idempotencyKey: String?, actor: String?, engine: Engine, now: Instant) async throws -> (StoredTicket, created: Bool)
    func ticket(_ id: String) async throws -> StoredTicket?
    /// A ticket's firings (held ones included), in the order they were recorded.
    func firings(of id: String) async throws -> [FiringRecord]
    /// Appends an event after checking the ticket's lifecycle allows it; re-evaluates the ticket.
    func append(_ event: TicketEventRecord, to id: String, engine: Engine, now: Instant) async throws -> StoredTicket
    /// Evaluates every ticket and incident due at `now` (up to `limit` of each), records their firings and
    /// outbox rows, and stores their next due instants, in one transaction.
    func scan(engine: Engine, now: Instant, limit: Int) async throws -> ScanReport
    /// The earliest next-due instant of any ticket or incident.
    func earliestDue() async throws -> Instant?
    /// Recomputes every open incident's and ticket's policy and next due instant, after the rules changed.
    /// Returns how many tickets it looked at.
    func reevaluateAll(engine: Engine, now: Instant) async throws -> Int
    /// Jobs in one state (nil: all), by id.
    func outbox(state: String?, limit: Int) async throws -> [OutboxJob]
    /// Pending jobs due at `now`, oldest due first, without the ones `excluding` names (in flight) and
    /// without those of `skippingChannels` (lanes that hold all they may).
    func dueOutbox(now: Instant, limit: Int, excluding: Set<Int64>, skippingChannels: Set<String>) async throws -> [OutboxJob]
    /// Records one delivery attempt and moves the job on, in one transaction: `sent`, `retry` (pending
    /// again at `nextAttempt`), `dead` (dead-lettered). Returns the job as it now stands.
    @discardableResult
    func recordAttempt(_ attempt: DeliveryAttempt, now: Instant) async throws -> OutboxJob?
    func outboxJob(_ id: Int64) async throws -> OutboxJob?
    /// A ticket's jobs not delivered yet, for its timeline.
    func pendingOutbox(ticket id: String) async throws -> [OutboxJob]
}

/// The whole store the daemon runs on: the escalation contract plus batches, lists, the outbox's
/// operator side, statistics, bookkeeping, intake, incidents' reports and the 看板's reads. Only SQLite
/// implements all of it today.
public protocol TicketStore: EscalationStore, IncidentStore, BoardStore, Sendable {
    /// Many new tickets in one transaction, each as `create` would make it; one refused is reported at its place.
    func createBatch(_ tickets: [NewTicket], engine: Engine, now: Instant) async throws -> [Result<(StoredTicket, created: Bool), StoreError>]
    func list(_ filter: TicketFilter) async throws -> [StoredTicket]
    func markOutbox(_ id: Int64, sent: Bool, error: String?, now: Instant) async throws
    /// The earliest next attempt of any pending job.
    func earliestOutboxAttempt() async throws -> Instant?
    /// Several attempts, each exactly as `recordAttempt` would, in one transaction (the delivery
    /// service's group commit). Each job's state and attempts as they now stand, in order.
    @discardableResult
    func recordAttempts(_ attempts: [(attempt: DeliveryAttempt, now: Instant)]) async throws -> [RecordedAttempt?]
    /// Says why a channel's due jobs cannot go out (`last_error`) and looks again at `until`; attempts are
    /// not counted, since nothing was tried. Returns how many jobs it touched.
    @discardableResult
    func holdOutbox(channel: String, reason: String, until: Instant, now: Instant) async throws -> Int
    /// A new pending job for the same firing on another channel (a dead-lettered job's fallback).
    @discardableResult
    func enqueueFallback(for job: OutboxJob, channel: String, kind: String, message: String, now: Instant) async throws -> Int64
    /// Every recorded attempt for a ticket's notifications, oldest first.
    func attempts(ticket id: String) async throws -> [DeliveryAttemptRecord]
    /// An operator's retry: a dead (or pending) job is pending again, due now, with its attempts kept.
    func retryOutbox(_ id: Int64, actor: String?, now: Instant) async throws -> OutboxJob?
    /// An operator's drop: the job is dead and never tried again.
    func dropOutbox(_ id: Int64, actor: String?, now: Instant) async throws -> OutboxJob?
    func statistics() async throws -> StoreStatistics
    /// Per channel, the last notice delivered and the last dead-lettered (delivery's health, after a restart).
    func channelOutcomes() async throws -> [ChannelOutcome]
    /// Pending outbox jobs and the creation of the oldest (the self-watch's backlog; cheap on the pending index).
    func outboxBacklog() async throws -> (pending: Int, oldest: Instant?)
    /// A small key-value table for the daemon's own bookkeeping (the version of the rules last run).
    func meta(_ key: String) async throws -> String?
    func setMeta(_ key: String, _ value: String) async throws
    /// An intake source's delivery recorded under its id (SQLiteTicketStore+Intake.swift).
    func intakeDelivery(source: String, delivery: String) async throws -> IntakeDelivery?
    /// Appends an intake delivery's event and records the delivery in one transaction; the delivery
    /// recorded earlier under the same id (and nothing written) when there is one.
    func appendIntake(_ event: TicketEventRecord?, delivery: IntakeDelivery, engine: Engine, now: Instant) async throws -> IntakeDelivery?
}

public struct StoredTicket: Sendable {
    public let ticket: Ticket
    public let status: String
    public let policy: String?
    public let cycle: Int
    public let overdue: Bool
    public let nextDue: Instant?
    public let updatedAt: Instant
    /// The incident that explains it: while that incident is open, its escalations are held.
    public var incidentID: String?
}

public struct FiringRecord: Sendable, Hashable {
    public let id: Int64
    public let ticketID: String
    public let firing: Firing
    public let dueAt: Instant
    public let firedAt: Instant
    public let lateness: Int
    public let missed: Int
    public let people: [String]
    public let unreached: [String]
    /// The open incident that held this escalation: recorded, nothing sent.
    public var heldBy: String?
    /// What `ticketID` names: a ticket, an incident (the firing's policy is then `Firing.planKey`) or a KPI.
    public var subject: FiringSubject = .ticket
}

public struct OutboxJob: Sendable, Hashable {
    public let id: Int64
    public let firingID: Int64
    public let ticketID: String
    public let channel: String
    public let channelKind: String
    public let recipients: [Recipient]
    public let message: String
    public let state: String
    public let attempts: Int
    public let createdAt: Instant
    public var nextAttemptAt: Instant = Instant(seconds: 0)
    public var lastError: String?
    public var updatedAt: Instant = Instant(seconds: 0)
    /// What `ticketID` names: a ticket, an incident (a plan's notice) or a KPI (a warning).
    public var subject: FiringSubject = .ticket
    /// The template's title, when the step's template has one; channels with a title show it.
    public var title: String?
    /// Action links for the people reached (empty without `links` in the rules), and where they go in
    /// `message` (a UTF-8 offset; nil: at the end).
    public var actions: [OutboxAction] = []
    public var actionsAt: Int?
    /// The idempotency key its notice carries: derived from what the job is (its firing's subject, ticket,
    /// policy, step, cycle and repeat, and the channel), not from row ids, so that a step fired again by a
    /// database restored from a backup carries the key its first firing's notice had and a receiver that
    /// dedupes drops the repeat (docs/adr/0026). nil only for a job whose firing row is gone.
    public var noticeKey: String?

    /// `slad-` and 32 hex digits: two 64-bit FNV-1a hashes (different offsets) of the natural key's text.
    public static func noticeKey(naturalKey: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        for byte in naturalKey.utf8 {
            first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "slad-" + hex(first) + hex(second)
    }

    public struct Recipient: Sendable, Hashable, Codable {
        public let person: String
        public let name: String?
        public let address: String?
    }
}

/// One attempt to deliver an outbox job, as the delivery service reports it.
public struct DeliveryAttempt: Sendable {
    public enum Result: String, Sendable { case sent, retry, dead }
    public let outboxID: Int64
    public let result: Result
    public let detail: String?
    public let nextAttempt: Instant?
    public let durationMilliseconds: Int

    public init(outboxID: Int64, result: Result, detail: String?, nextAttempt: Instant?, durationMilliseconds: Int) {
        self.outboxID = outboxID
        self.result = result
        self.detail = detail
        self.nextAttempt = nextAttempt
        self.durationMilliseconds = durationMilliseconds
    }
}

/// A recorded attempt (or an operator's retry or drop), for a ticket's timeline.
public struct DeliveryAttemptRecord: Sendable, Hashable {
    public let outboxID: Int64
    public let channel: String
    public let attempt: Int
    public let at: Instant
    public let result: String
    public let detail: String?
    public let durationMilliseconds: Int
}

public struct TicketFilter: Sendable {
    public var status: String?
    public var policy: String?
    public var site: String?
    public var assignee: String?
    public var overdue: Bool?
    /// Only tickets not closed.
    public var openOnly = false
    public var limit = 100
    public var after: String?

    public init(status: String? = nil, policy: String? = nil, site: String? = nil, assignee: String? = nil,
                overdue: Bool? = nil, openOnly: Bool = false, limit: Int = 100, after: String? = nil) {
        self.status = status
        self.policy = policy
        self.site = site
        self.assignee = assignee
        self.overdue = overdue
        self.openOnly = openOnly
        self.limit = limit
        self.after = after
    }
}

public struct ScanReport: Sendable {
    public var evaluated = 0
    public var fired: [FiringRecord] = []
    public var outboxRows = 0
    /// Steps whose firing was already recorded (a retry after a crash): skipped, never sent twice.
    public var duplicatesSkipped = 0
    /// Tickets that went overdue (a clock ran out) since they were last looked at.
    public var breaches = 0
    public var unreached: [(ticket: String, step: String, reason: String)] = []
    /// Ticket escalations held because an open incident explains the ticket: recorded, never sent.
    public var held = 0
    /// Incidents looked at, and the notices (assigned / overdue) they fired.
    public var incidentsEvaluated = 0
    public var incidentNotices = 0
}

public struct StoreStatistics: Sendable {
    public var openByPolicy: [String: Int] = [:]
    public var overdue = 0
    /// Incidents and drills not closed.
    public var openIncidents = 0
    public var outboxByState: [String: Int] = [:]
    public var firings = 0
    public var breaches = 0
}

/// Refusals to open a state folder; each has its own exit code so that systemd and operators can tell
/// them apart.
public enum StoreOpenFailure: Error, CustomStringConvertible {
    case notWritable(path: String, reason: String)
    case locked(path: String)
    case newerSchema(path: String, unknown: [String])
    case unreadable(path: String, reason: String)
    case inUse(path: String)

    public var description: String {
        switch self {
        case let .notWritable(path, reason):
            "the state folder '\(path)' cannot be written (\(reason)); create it and give the slad user write access, or pass --state DIR"
        case let .locked(path):
            "the database '\(path)' is locked by another process; stop the other slad (systemctl stop slad) and start again"
        case let .newerSchema(path, unknown):
            "the database '\(path)' was written by a newer slad (migrations \(unknown.joined(separator: ", "))); install that version or restore a backup"
        case let .inUse(path):
            "another slad is running on the state folder '\(path)'; stop it (systemctl stop slad) or give this one its own --state"
        case let .unreadable(path, reason):
            "the database '\(path)' cannot be read (\(reason)); restore it from a backup or move it aside to start empty"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .notWritable: 73   // EX_CANTCREAT
        case .locked: 75        // EX_TEMPFAIL
        case .newerSchema: 65   // EX_DATAERR
        case .unreadable: 74    // EX_IOERR
        case .inUse: 75         // EX_TEMPFAIL
        }
    }
}

/// Why a write was refused; the HTTP API maps these to 4xx.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case unknownTicket(String)
    case duplicateTicket(String)
    case unknownIncident(String)
    case duplicateIncident(String)
    case refused(String)

    public var description: String {
        switch self {
        case let .unknownTicket(id): "no ticket '\(id)'"
        case let .duplicateTicket(id): "a ticket '\(id)' already exists"
        case let .unknownIncident(id): "no incident '\(id)'"
        case let .duplicateIncident(id): "an incident '\(id)' already exists"
        case let .refused(reason): reason
        }
    }
}

/// A channel's last delivery and last dead letter, from the outbox.
public struct ChannelOutcome: Sendable, Hashable {
    public let channel: String
    public let lastSent: Instant?
    public let lastDead: Instant?

    public init(channel: String, lastSent: Instant?, lastDead: Instant?) {
        self.channel = channel
        self.lastSent = lastSent
        self.lastDead = lastDead
    }
}

extension EscalationStore {
    public func dueOutbox(now: Instant, limit: Int, excluding: Set<Int64>) async throws -> [OutboxJob] {
        try await dueOutbox(now: now, limit: limit, excluding: excluding, skippingChannels: [])
    }
}

/// A job's state and attempts after an attempt was recorded (nil in its place: no such job).
public struct RecordedAttempt: Sendable, Equatable {
    public let state: String
    public let attempts: Int
}
