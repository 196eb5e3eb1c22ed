import Foundation
import GRDB
import SLAEngine
import SLAStore

/// Issue 19's figure: the escalation loop's scan latency while `slad prune` removes `old` tickets closed
/// long ago (each with an event, a firing, an outbox job and a delivery attempt), as another process
/// would: a second store on the same file. The scans run every 50 ms on N open tickets (at most 1,000,000, at least 20,000) that
/// are all due (100 fired per scan), before the prune (the baseline), during it, and after it (the pruned database).
/// `control`: the same phases with no prune (the "during" phase lasts `controlSeconds`): what the loop's own
/// firings do to the scans' times, to tell them from what the prune does.
func pruneFigures(old: Int, control: Bool = false, controlSeconds: Double = 60) async throws -> (baseline: [Double], during: [Double], after: [Double], pruneSeconds: Double, pruned: Int) {
    let folder = NSTemporaryDirectory() + "slad-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let now = Instant(seconds: Int(Date().timeIntervalSince1970))
    let loadStart = Date()
    // Enough open, due tickets that the scans (100 each, about 10 a second) do not run out while the prune
    // runs (about 1,200 tickets a second on 2 busy cores; a scan that finds nothing due takes no write
    // lock and would understate the contention): as many as the old ones.
    let open = min(1_000_000, max(20_000, old))
    try load(folder: folder, count: open, due: open, now: now)
    let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
    let fields = String(decoding: try JSONEncoder().encode(TicketFields(kind: "complaint", building: "3栋", assignee: "duty")), as: UTF8.self)
    let closedAt = now.seconds - 500 * 86_400
    try await queue.write { db in
        let ticket = try db.makeStatement(sql: """
            INSERT INTO ticket (id, created_at, fields, kind, building, assignee, status, policy, next_due, updated_at, closed_at)
            VALUES (?, ?, ?, 'complaint', '3栋', 'duty', 'closed', 'complaint', NULL, ?, ?)
            """)
        let event = try db.makeStatement(sql: "INSERT INTO ticket_event (ticket_id, seq, kind, at, recorded_at) VALUES (?, 0, 'closed', ?, ?)")
        let firing = try db.makeStatement(sql: """
            INSERT INTO firing (ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached)
            VALUES (?, 'complaint', 'respond', 0, 0, ?, ?, 0, 0, '["duty"]', '[]')
            """)
        let job = try db.makeStatement(sql: """
            INSERT INTO outbox (firing_id, ticket_id, channel, channel_kind, recipients, message, state, attempts, next_attempt_at, created_at, updated_at)
            VALUES (?, ?, 'sms', 'sms-http', '[]', '请响应', 'sent', 1, ?, ?, ?)
            """)
        let attempt = try db.makeStatement(sql: """
            INSERT INTO delivery_attempt (outbox_id, ticket_id, channel, attempt, at, result) VALUES (?, ?, 'sms', 1, ?, 'sent')
            """)
        for index in 0..<old {
            let id = String(format: "OLD%07d", index)
            let created = closedAt - 3600
            try ticket.execute(arguments: [id, created, fields, closedAt, closedAt])
            try event.execute(arguments: [id, closedAt, closedAt])
            try firing.execute(arguments: [id, created + 60, created + 60])
            try job.execute(arguments: [db.lastInsertedRowID, id, created + 60, created + 60, created + 60])
            try attempt.execute(arguments: [db.lastInsertedRowID, id, created + 61])
        }
    }
    try queue.close()
    print("  loaded \(open) open (all due) and \(old) closed tickets in \(String(format: "%.1f", Date().timeIntervalSince(loadStart))) s")
    let loopStore = try SQLiteTicketStore.open(folder: folder)
    let pruneStore = try SQLiteTicketStore.open(folder: folder)
    let engine = engine()
    let idle = ManagedAtomicFlag()
    let failures = FailureCount()
    func scan() async throws -> Double {
        let start = ContinuousClock.now
        do {
            if try await loopStore.scan(engine: engine, now: now, limit: 100).evaluated == 0 { idle.set() }
        } catch {
            // The loop would back off and retry (a busy database is a storage fault it survives); counted.
            failures.add("\(error)")
        }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
    }
    var baseline: [Double] = []
    for _ in 0..<100 {
        baseline.append(try await scan())
        try await Task.sleep(for: .milliseconds(50))
    }
    let pruneStart = Date()
    let (during, report) = try await withThrowingTaskGroup(of: ([Double], SQLiteTicketStore.PruneReport?).self) { group in
        let done = ManagedAtomicFlag()
        group.addTask {
            if control {
                try await Task.sleep(for: .seconds(controlSeconds))
                done.set()
                return ([], nil)
            }
            let report = try await pruneStore.prune(closedBefore: Instant(seconds: now.seconds - 400 * 86_400),
                                                    archiveFolder: folder + "/archive", now: now)
            done.set()
            return ([], report)
        }
        group.addTask {
            var times: [Double] = []
            while !done.isSet {
                times.append(try await scan())
                try await Task.sleep(for: .milliseconds(50))
            }
            return (times, nil)
        }
        var times: [Double] = []
        var report: SQLiteTicketStore.PruneReport?
        for try await (part, finished) in group {
            times += part
            if let finished { report = finished }
        }
        return (times, report)
    }
    let seconds = Date().timeIntervalSince(pruneStart)
    let archived = (try? FileManager.default.attributesOfItem(atPath: report?.archive ?? "")[.size] as? Int) ?? 0
    if idle.isSet { print("  WARNING: some scans found nothing due (the figure understates the load)") }
    if let first = failures.first { print("  SCANS FAILED: \(failures.count), first: \(first)") }
    print("  pruned \(report?.tickets ?? 0) tickets in \(report?.batches ?? 0) transactions, \(String(format: "%.1f", seconds)) s; archive \(archived / 1_048_576) MiB")
    var after: [Double] = []
    for _ in 0..<100 {
        after.append(try await scan())
        try await Task.sleep(for: .milliseconds(50))
    }
    return (baseline, during, after, seconds, report?.tickets ?? 0)
}

/// A flag one task sets and another polls.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

/// Failed scans, counted across tasks.
final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    var count: Int { lock.withLock { errors.count } }
    var first: String? { lock.withLock { errors.first } }
    func add(_ error: String) { lock.withLock { errors.append(error) } }
}
