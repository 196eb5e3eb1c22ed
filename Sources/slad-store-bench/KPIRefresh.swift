import Foundation
import GRDB
import Logging
import SLADaemon
import SLAEngine
import SLAStore

/// The KPI service's refresh (issue 14) over a store of `count` tickets created over the last 30 days
/// (every 20th open, the rest resolved and closed), with the shipped rules in `./rules` (run from the
/// repository root): the first refresh reads and evaluates every ticket; the next ones, with nothing
/// changed, are what the service costs every minute beside the escalation loop.
func kpiRefreshFigures(count: Int) async throws -> (first: Double, steady: [Double]) {
    let folder = NSTemporaryDirectory() + "slad-bench-kpi-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let now = Instant(seconds: 1_764_727_200)
    _ = try SQLiteTicketStore.open(folder: folder)
    let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
    let sites = ["翠湖花园", "阳光花园"]
    let fields = try [("repair", sites[0]), ("complaint", sites[1]), ("repair", sites[1])].map { kind, site in
        String(decoding: try JSONEncoder().encode(TicketFields(kind: kind, site: site)), as: UTF8.self)
    }
    try await queue.write { db in
        let ticket = try db.makeStatement(sql: """
            INSERT INTO ticket (id, created_at, fields, kind, site, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let event = try db.makeStatement(sql: "INSERT INTO ticket_event (ticket_id, seq, kind, at, recorded_at) VALUES (?, ?, ?, ?, ?)")
        for index in 0..<count {
            let id = String(format: "K%07d", index)
            let created = now.seconds - 60 - index % (30 * 86_400)
            let open = index % 20 == 0
            try ticket.execute(arguments: [id, created, fields[index % 3], index % 3 == 1 ? "complaint" : "repair", sites[index % 3 == 0 ? 0 : 1],
                                           open ? "open" : "closed", created])
            try event.execute(arguments: [id, 0, "created", created, created])
            if !open {
                try event.execute(arguments: [id, 1, "resolved", min(created + 3600, now.seconds - 1), created])
                try event.execute(arguments: [id, 2, "closed", min(created + 7200, now.seconds - 1), created])
            }
        }
    }
    try queue.close()
    let store = try SQLiteTicketStore.open(folder: folder)
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    let service = KPIService(store: store, rules: try RulesHolder(paths: ["rules"]), clock: SystemClock(), logger: logger)
    let clock = ContinuousClock()
    var snapshot = KPISnapshot.empty
    let first = try await clock.measure { snapshot = try await service.refresh(now: now) }
    print("  first refresh: \(snapshot.tiles.count) KPIs over \(count) tickets in \(Int(milliseconds(first))) ms")
    var steady: [Double] = []
    for round in 1...5 {
        let cpu = cpuSeconds()
        let time = try await clock.measure { _ = try await service.refresh(now: now + 60 * round) }
        steady.append(milliseconds(time))
        print(String(format: "  refresh %d, nothing changed: %.0f ms (%.0f ms CPU)", round, milliseconds(time), (cpuSeconds() - cpu) * 1000))
    }
    return (milliseconds(first), steady)
}

private func milliseconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
