import Foundation
import GRDB
import SLAEngine
import SLAStore

/// The 看板's data (`BoardStore.board`: per-policy counts, at-risk and breached lists with totals, open
/// incidents) over 1,000,000 tickets: 950,000 closed, 50,000 open of which 2,000 overdue and 3,000 due
/// within the hour. Written straight into the database, as `load` does for the scan.
func boardFigure(count: Int = 1_000_000) async throws -> (median: Double, max: Double) {
    let folder = NSTemporaryDirectory() + "slad-bench-board-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let now = Instant(seconds: 1_764_727_200)
    _ = try SQLiteTicketStore.open(folder: folder)
    let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
    let fields = String(decoding: try JSONEncoder().encode(TicketFields(kind: "repair", category: "水管", site: "翠湖花园", building: "3栋")),
                        as: UTF8.self)
    try await queue.write { db in
        let ticket = try db.makeStatement(sql: """
            INSERT INTO ticket (id, created_at, fields, kind, site, building, assignee, status, policy, overdue, deadline, deadline_clock,
                                breached_at, breached_clock, updated_at)
            VALUES (?, ?, ?, 'repair', '翠湖花园', '3栋', 'duty', ?, ?, ?, ?, 'respond', ?, ?, ?)
            """)
        for index in 0..<count {
            let open = index % 20 == 0                      // 50,000 open
            let overdue = open && index % 500 == 0           // 2,000 overdue
            let soon = open && !overdue && index % 300 == 20 // ~3,000 due within the hour
            let deadline: Int? = open && !overdue ? now.seconds + (soon ? index % 3600 + 1 : 7200 + index % 86_400) : nil
            let breached: Int? = overdue ? now.seconds - 60 - index % 86_400 : nil
            try ticket.execute(arguments: [String(format: "B%07d", index), now.seconds - index, fields, open ? "open" : "closed",
                                           ["repair", "complaint", "enquiry"][index % 3], overdue, deadline, breached,
                                           overdue ? "respond" : nil, now.seconds])
        }
    }
    try queue.close()
    let store = try SQLiteTicketStore.open(folder: folder)
    var times: [Double] = []
    for _ in 0..<30 {
        let start = Date()
        let board = try await store.board(now: now, within: 3600, limit: 20)
        times.append(Date().timeIntervalSince(start) * 1000)
        precondition(board.atRisk.count == 20 && board.breached.count == 20 && board.breachedTotal == 2_000)
    }
    return (median(times), times.max() ?? 0)
}
