// Benchmarks of the daemon's store and loop (issue 4's figures). Run in release mode:
//   swift run -c release slad-store-bench            # all figures
//   swift run -c release slad-store-bench deliveries [N] [single-commit] [urlsession]   # outbox → DeliveryService → loopback webhook
//   swift run -c release slad-store-bench actions     # action pages: CPU per page; loop latency under forged-token load
//   swift run -c release slad-store-bench board       # the 看板's data with 1,000,000 tickets
//   swift run -c release slad-store-bench kpi-refresh [N]   # KPIService.refresh over N tickets (./rules' KPIs)
//   swift run -c release slad-store-bench prune [N]    # scan latency while N (1,000,000) old closed tickets are pruned
// Prints: scan time with 1,000,000 and 10,000 open tickets of which 1,000 are due; deadline → outbox
// latency at 10,000 escalations a minute; resident memory of a daemon process holding 1,000,000 tickets.
import Foundation
import GRDB
import Logging
import SLADaemon
import SLANotify
import SLAEngine
import SLARules
import SLAStore

let benchRules = """
calendar cn { timezone Asia/Shanghai; workdays mon-fri }
person duty "值班员" { phone "+8613800000009" }
team desk { members duty; supervisor duty; manager duty }
channel console log {}
channel sms sms-http { url "http://127.0.0.1:9/send"; token env SMS_TOKEN }
policy complaint "投诉" {
  when kind = complaint
  team desk
  clock respond "响应" within 1m until acknowledged
  escalate { at respond notify supervisor via sms, console }
}
"""

func engine() -> Engine {
    let result = RuleLoader.check([SourceFile(path: "bench.sla", text: benchRules)])
    return try! Engine(rules: result.ruleSet!)
}

func rssMegabytes(pid: Int32? = nil) -> Double {
    let path = "/proc/\(pid.map(String.init) ?? "self")/status"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    return Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
}

/// Writes `count` open complaints straight into the database: `due` of them created a minute and more
/// ago (their step is due now), the rest due in an hour or later.
func load(folder: String, count: Int, due: Int, now: Instant) throws {
    _ = try SQLiteTicketStore.open(folder: folder)
    let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
    let fields = String(decoding: try JSONEncoder().encode(TicketFields(kind: "complaint", building: "3栋", assignee: "duty")), as: UTF8.self)
    try queue.write { db in
        let ticket = try db.makeStatement(sql: """
            INSERT INTO ticket (id, created_at, fields, kind, building, assignee, status, policy, next_due, updated_at)
            VALUES (?, ?, ?, 'complaint', '3栋', 'duty', 'open', 'complaint', ?, ?)
            """)
        let event = try db.makeStatement(sql: "INSERT INTO ticket_event (ticket_id, seq, kind, at, recorded_at) VALUES (?, 0, 'created', ?, ?)")
        for index in 0..<count {
            let id = String(format: "B%07d", index)
            let isDue = index % (count / due) == 0
            let created = isDue ? now.seconds - 120 : now.seconds + 3600 + index % 86_400
            try ticket.execute(arguments: [id, created, fields, created + 60, now.seconds])
            try event.execute(arguments: [id, created, now.seconds])
        }
    }
}

func scanFigures(count: Int) async throws -> [Double] {
    let folder = NSTemporaryDirectory() + "slad-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let now = Instant(seconds: Int(Date().timeIntervalSince1970))
    let loadStart = Date()
    try load(folder: folder, count: count, due: 1000, now: now)
    print("  loaded \(count) tickets in \(String(format: "%.1f", Date().timeIntervalSince(loadStart))) s")
    let store = try SQLiteTicketStore.open(folder: folder)
    let engine = engine()
    var times: [Double] = []
    for round in 0..<5 {
        if round > 0 {
            // Another 1,000 tickets fall due.
            let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
            try await queue.write { db in
                try db.execute(sql: """
                    UPDATE ticket SET created_at = ?, next_due = ? WHERE rowid IN
                      (SELECT rowid FROM ticket WHERE next_due > ? ORDER BY rowid LIMIT 1000 OFFSET ?)
                    """, arguments: [now.seconds - 120, now.seconds - 60, now.seconds, round * 7])
                try db.execute(sql: "UPDATE ticket_event SET at = ? WHERE ticket_id IN (SELECT id FROM ticket WHERE next_due = ?)",
                               arguments: [now.seconds - 120, now.seconds - 60])
            }
        }
        let start = ContinuousClock.now
        let report = try await store.scan(engine: engine, now: now, limit: 1000)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        times.append(ms)
        print("  scan \(round + 1): \(report.evaluated) due tickets evaluated, \(report.fired.count) fired, \(report.outboxRows) outbox rows: \(String(format: "%.1f", ms)) ms")
    }
    return times
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// 10,000 escalations spread over one minute through the real escalation loop; latency from each step's
/// due instant to the commit of its firing and outbox rows.
/// With `forgedPerSecond`, the public action pages run on the same store meanwhile and are sent that many
/// requests a second with forged tokens (issue 13: they must not disturb the loop).
func latencyFigure(forgedPerSecond: Int = 0) async throws -> (p50: Double, p99: Double, max: Double, count: Int) {
    let folder = NSTemporaryDirectory() + "slad-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = try SQLiteTicketStore.open(folder: folder)
    let engine = engine()
    // Far enough ahead that creating the tickets is over before the first one falls due.
    let start = Int(Date().timeIntervalSince1970) + 20
    // Created so that the deadlines (1 minute later) spread evenly over 60 s from `start`.
    for index in 0..<10_000 {
        let created = Instant(seconds: start - 60 + index * 60 / 10_000)
        let ticket = Ticket(id: String(format: "L%05d", index), fields: TicketFields(kind: "complaint", assignee: "duty"), createdAt: created)
        _ = try await store.create(ticket, idempotencyKey: nil, actor: nil, engine: engine, now: Instant(seconds: start - 20))
    }
    let collector = LatencyCollector()
    var configuration = DaemonConfiguration()
    configuration.maxInterval = 1
    let rules = RulesHolder(engine: engine)
    let loop = EscalationLoop(store: store, rules: rules, clock: SystemClock(), configuration: configuration, metrics: nil,
                              logger: {
                                  var logger = Logger(label: "bench", factory: { StreamLogHandler.standardError(label: $0) })
                                  logger.logLevel = .warning
                                  return logger
                              }()) { summary in
        let committed = Date().timeIntervalSince1970
        await collector.add(summary.dueInstants.map { committed - Double($0.seconds) })
    }
    let task = Task { try await loop.run() }
    let load = forgedPerSecond > 0 ? try await ForgedLoad.start(store: store, rules: rules, perSecond: forgedPerSecond) : nil
    print("  10,000 tickets created; the first falls due in \(String(format: "%.1f", Double(start) - Date().timeIntervalSince1970)) s")
    while await collector.count < 10_000, Date().timeIntervalSince1970 < Double(start + 90) {
        try await Task.sleep(for: .milliseconds(200))
    }
    task.cancel()
    if let load {
        await load.stop()
        print("  forged-token requests answered: \(await load.answered()) (\(await load.statuses()))")
    }
    let stats = try await store.statistics()
    print("  firings recorded: \(stats.firings)")
    let values = await collector.values.sorted()
    return (values[values.count / 2], values[Int(Double(values.count) * 0.99)], values.last ?? 0, values.count)
}

actor LatencyCollector {
    var values: [Double] = []
    var count: Int { values.count }
    func add(_ more: [Double]) { values += more }
}

/// A real `slad serve` on a state folder of 1,000,000 tickets; its resident memory once it serves.
func daemonMemory() throws -> Double {
    let folder = NSTemporaryDirectory() + "slad-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let now = Instant(seconds: Int(Date().timeIntervalSince1970))
    try load(folder: folder, count: 1_000_000, due: 1000, now: now)
    let rulesFolder = folder + "-rules"
    try FileManager.default.createDirectory(atPath: rulesFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: rulesFolder) }
    try benchRules.write(toFile: rulesFolder + "/bench.sla", atomically: true, encoding: .utf8)
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("slad")
    let process = Process()
    process.executableURL = binary
    process.arguments = ["serve", "--rules", rulesFolder, "--state", folder, "--port", "0"]
    process.standardError = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    // Let it start, re-evaluate (the rules are new to this database), and run its scans.
    var peak = 0.0
    for _ in 0..<60 {
        Thread.sleep(forTimeInterval: 1)
        peak = max(peak, rssMegabytes(pid: process.processIdentifier))
    }
    let settled = rssMegabytes(pid: process.processIdentifier)
    process.terminate()
    process.waitUntilExit()
    print("  daemon RSS: peak \(String(format: "%.0f", peak)) MB during start-up, \(String(format: "%.0f", settled)) MB serving")
    return settled
}

let arguments = Set(CommandLine.arguments.dropFirst().filter { Int($0) == nil })
let number = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first
let all = arguments.isEmpty
print("slad-store-bench (release build expected; machine: \(ProcessInfo.processInfo.activeProcessorCount) cores)")
if all || arguments.contains("scan") {
    print("scan with 1,000,000 open tickets, 1,000 due:")
    let big = try await scanFigures(count: 1_000_000)
    print("scan with 10,000 open tickets, 1,000 due:")
    let small = try await scanFigures(count: 10_000)
    print(String(format: "SCAN 1M open / 1k due: median %.1f ms; 10k open / 1k due: median %.1f ms; ratio %.2f (target < 50 ms, ratio <= 2)",
                 median(big), median(small), median(big) / median(small)))
}
if arguments.contains("scan-small") {
    // For profiling the scan alone: only the 10,000-ticket store.
    print("scan with 10,000 open tickets, 1,000 due:")
    _ = try await scanFigures(count: 10_000)
}
if all || arguments.contains("latency") {
    let latency = try await latencyFigure()
    print(String(format: "LATENCY deadline -> outbox row at 10,000 escalations/min (%d fired): p50 %.3f s, p99 %.3f s, max %.3f s (target p99 < 1 s)",
                 latency.count, latency.p50, latency.p99, latency.max))
}
if all || arguments.contains("actions") {
    let figures = try await actionPageFigures()
    print(String(format: "ACTIONS look + render a link's page: %.3f ms CPU; a forged token's page: %.3f ms CPU (target < 1 ms)",
                 figures.page * 1000, figures.forged * 1000))
    let latency = try await latencyFigure(forgedPerSecond: 500)
    print(String(format: "ACTIONS deadline -> outbox row at 10,000 escalations/min with 500 forged-token requests/s on the pages (%d fired): p50 %.3f s, p99 %.3f s, max %.3f s (target p99 < 1 s)",
                 latency.count, latency.p50, latency.p99, latency.max))
}
if all || arguments.contains("board") {
    let board = try await boardFigure()
    print(String(format: "BOARD the 看板's data (counts per policy, at-risk and breached lists, incidents) with 1,000,000 tickets: median %.1f ms, max %.1f ms (target < 50 ms)",
                 board.median, board.max))
}
if arguments.contains("kpi-refresh") {
    // Not part of "all": it reads the shipped rules in ./rules (run from the repository root).
    let count = number ?? 1_000_000
    let figures = try await kpiRefreshFigures(count: count)
    print(String(format: "KPI-REFRESH the KPI service over %d tickets: first refresh %.0f ms; nothing changed: median %.0f ms, max %.0f ms",
                 count, figures.first, median(figures.steady), figures.steady.max() ?? 0))
}
if arguments.contains("prune") {
    // Not part of "all": issue 19's figure, run on its own.
    let count = number ?? 1_000_000
    print("prune: \(count) tickets closed 500 days ago, retention 400 days, while the loop scans:")
    // "prune N control": the same phases with no prune (60 s of scans instead), the control for "after".
    let figures = try await pruneFigures(old: count, control: arguments.contains("control"))
    print(String(format: "PRUNE %d closed tickets in %.1f s; scan of 100 due tickets every 50 ms: before p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d scans); during p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d scans); after p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d scans)",
                 figures.pruned, figures.pruneSeconds, percentile(figures.baseline, 0.5), percentile(figures.baseline, 0.99), figures.baseline.max() ?? 0,
                 figures.baseline.count, percentile(figures.during, 0.5), percentile(figures.during, 0.99), figures.during.max() ?? 0, figures.during.count,
                 percentile(figures.after, 0.5), percentile(figures.after, 0.99), figures.after.max() ?? 0, figures.after.count))
}
if all || arguments.contains("memory") {
    let memory = try daemonMemory()
    print(String(format: "MEMORY slad serve with 1,000,000 tickets: %.0f MB resident (target < 100 MB)", memory))
}
if arguments.contains("deliveries") {
    // Not part of "all": it is issue 5's figure, run on its own.
    let count = number ?? 10_000
    print("deliveries: \(count) notifications through the durable outbox to a loopback webhook:")
    // "single-commit": one transaction per attempt, as before group commit, for comparison.
    let recordBatch = arguments.contains("single-commit") ? 1 : DeliveryPolicy().recordBatch
    // "urlsession": Foundation's client, to compare with the default (AsyncHTTPClient, docs/adr/0018).
    let client: HTTPClientChoice = arguments.contains("urlsession") ? .urlsession : .nio
    let rate = try await deliveryFigure(count: count, recordBatch: recordBatch, client: client)
    print(String(format: "DELIVERIES %d through the outbox to a loopback webhook (%@, %@): %.0f/s (target >= 1,000/s)", count,
                 recordBatch == 1 ? "a transaction per attempt" : "group commit", client.rawValue, rate))
}
