import Foundation
import Hummingbird
import Logging
@testable import SLADaemon
import SLAEngine
import SLARules
import SLAStore
import ServiceLifecycle

/// The API listener (the one `/dashboard` and `/metrics` are on) run in-process on a free loopback port
/// for one test, on a real SQLite store with tickets and incidents, a wall clock that stands still and a
/// KPI snapshot the test can swap while the page is open.
struct DashboardServer {
    static let now = Instant(seconds: 1_764_727_200)   // 2025-12-03 10:00 +08:00

    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person zhang-wei "张伟" { phone "+8613800000001" }
    person li-na "李娜" { phone "+8613800000002" }
    team eng "工程部" { members zhang-wei; supervisor li-na; manager li-na }
    channel console log {}
    policy repair "报修" { when kind = repair; team eng
      clock respond "响应" within 30m until acknowledged
      clock complete "完成" within 24h until resolved
      escalate { at respond notify supervisor via console }
    }
    policy complaint "投诉" { when kind = complaint; team eng
      clock respond "响应" within 2h until acknowledged
      escalate { at respond notify supervisor via console }
    }
    plan elevator "电梯困人" {
      level III
      team eng
      step arrive "维保到场" within 30m owner person zhang-wei via console
      step rescue "解救完成" within 1h owner supervisor via console
      step report "上报" within 2h owner manager via console
    }
    """

    let port: Int
    var client: PagesServer { PagesServer(port: port) }
    var base: String { "http://127.0.0.1:\(port)" }

    /// A store with: two repairs due within the hour (R-1 first), two overdue (R-3 longest), a complaint,
    /// a resident's text that tries to inject markup, and an elevator drill with one of three steps confirmed.
    static func filledStore() async throws -> (SQLiteTicketStore, Engine) {
        let check = RuleLoader.check([SourceFile(path: "board.sla", text: rules)])
        guard let ruleSet = check.ruleSet else { throw Failure(description: "rules: \(check.diagnostics)") }
        let engine = try Engine(rules: ruleSet)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-board-\(UUID().uuidString)").path
        let store = try SQLiteTicketStore.open(folder: folder)
        func repair(_ id: String, minutesAgo: Int, building: String = "3栋") -> Ticket {
            Ticket(id: id, fields: TicketFields(kind: "repair", category: "水管", site: "翠湖花园", building: building, assignee: "zhang-wei"),
                   createdAt: now - minutesAgo * 60)
        }
        for ticket in [repair("R-1", minutesAgo: 20), repair("R-2", minutesAgo: 5), repair("R-3", minutesAgo: 120),
                       repair("R-4", minutesAgo: 45, building: "<img src=//evil.example/x.png>5栋")] {
            _ = try await store.create(ticket, idempotencyKey: nil, actor: nil, engine: engine, now: now)
        }
        _ = try await store.create(Ticket(id: "C-1", fields: TicketFields(kind: "complaint", site: "碧水湾"), createdAt: now - 600),
                                   idempotencyKey: nil, actor: nil, engine: engine, now: now)
        _ = try await store.openIncident(Incident(id: "D-1", plan: "elevator", level: .III, openedAt: now - 900, isDrill: true, site: "翠湖花园",
                                                  building: "2栋"), actor: nil, engine: engine, now: now - 900)
        _ = try await store.append(IncidentEvent(kind: .confirmed, at: now - 300, step: "arrive"), toIncident: "D-1", engine: engine, now: now - 300)
        return (store, engine)
    }

    static func with(snapshot: SnapshotBox, _ body: @Sendable (DashboardServer) async throws -> Void) async throws {
        let (store, engine) = try await filledStore()
        let logger = Logger(label: "board-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let rules = RulesHolder(engine: engine)
        let clock = StillClock(instant: now)
        let configuration = DaemonConfiguration()
        let loop = EscalationLoop(store: store, rules: rules, clock: clock, configuration: configuration, metrics: nil, logger: logger)
        var api = API(store: store, rules: rules, clock: clock, loop: loop, metrics: nil, configuration: configuration)
        api.kpis = { snapshot.value }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await InProcessService.run(app, ports: ports, logger: logger) { port in try await body(DashboardServer(port: port)) }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }
}

/// A clock that stands at one instant: its sleepers wake only when cancelled.
struct StillClock: WallClock {
    let instant: Instant
    func now() -> Instant { instant }
    func preciseNow() -> Double { Double(instant.seconds) }
    func uptime() -> Double { 0 }
    func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await ManualClock(start: instant).sleep(seconds: seconds)
    }
}

/// The KPI snapshot the server hands out; a test swaps it to see the page follow.
final class SnapshotBox: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshot: KPISnapshot

    init(_ snapshot: KPISnapshot) { self.snapshot = snapshot }

    var value: KPISnapshot {
        get { lock.withLock { snapshot } }
        set { lock.withLock { snapshot = newValue } }
    }
}
