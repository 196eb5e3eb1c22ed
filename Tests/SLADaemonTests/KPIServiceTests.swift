import Foundation
import Logging
import SLADaemon
import SLAEngine
import SLARules
import SLAStore
import Testing

/// The KPI service on a real SQLite store and virtual time: a KPI pushed across its line warns once,
/// tells once more when it gets worse, repeats at its interval, stays quiet inside the hysteresis band,
/// sends the all-clear, and never sends a notice twice — not even from a restarted service.
struct KPIServiceTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person wang "王强" { phone "+8613800000001" }
    person li "李娜" { phone "+8613800000002" }
    team desk { members wang; supervisor wang; manager li }
    channel console log {}
    policy repair "报修" {
      when kind = repair
      team desk
      clock complete "维修完成" within 24h until resolved
      escalate { at complete notify supervisor via console }
    }
    kpi repair-24h "维修24小时完成率" {
      measure on-time complete
      when kind = repair
      over 7d
      target at-least 90%
      warn below 95%
      notify manager via console every 1d
      team desk
      source "《物业服务标准》5.2"
    }
    """

    let t0 = Instant(seconds: 1_790_000_000)

    func engine() throws -> Engine {
        let result = RuleLoader.check([SourceFile(path: "kpi.sla", text: Self.rules)])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        return try Engine(rules: try #require(result.ruleSet))
    }

    func folder() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("slad-kpi-\(UUID().uuidString)").path }

    /// `count` repairs created at `at`; the first `onTime` of them resolved an hour later.
    func repairs(_ store: SQLiteTicketStore, engine: Engine, prefix: String, count: Int, onTime: Int, at: Instant) async throws {
        for index in 0..<count {
            let ticket = Ticket(id: "\(prefix)\(index)", fields: TicketFields(kind: "repair", site: "cuihu", assignee: "wang"), createdAt: at)
            _ = try await store.create(ticket, idempotencyKey: nil, actor: nil, engine: engine, now: at)
            if index < onTime {
                _ = try await store.append(TicketEventRecord(kind: .resolved, at: at + 3600, actor: "wang"), to: ticket.id, engine: engine,
                                           now: at + 3600)
            }
        }
    }

    func kpiNotices(_ store: SQLiteTicketStore) async throws -> [String] {
        try await store.outbox(state: nil, limit: 1000).filter { $0.subject == .kpi }.map(\.message)
    }

    @Test func aKPIAcrossItsLineWarnsRepeatsAndClears() async throws {
        let engine = try engine()
        let store = try SQLiteTicketStore.open(folder: folder())
        let rules = RulesHolder(engine: engine)
        let service = KPIService(store: store, rules: rules, clock: SystemClock(), logger: Logger(label: "test"))
        try await repairs(store, engine: engine, prefix: "A", count: 10, onTime: 8, at: t0)

        // Two hours in: eight met, two still running inside their 24 h: nothing is late yet.
        var snapshot = try await service.refresh(now: t0 + 7200)
        #expect(snapshot.tiles.first?.overall.value == 1.0)
        #expect(try await kpiNotices(store).isEmpty)

        // A day in: two ran out. 8 of 10 on time is below the 90 % target: breached, told once.
        snapshot = try await service.refresh(now: t0 + 25 * 3600)
        #expect(snapshot.tiles.first?.overall.value == 0.8)
        #expect(snapshot.tiles.first?.overall.level == .breached)
        var notices = try await kpiNotices(store)
        #expect(notices.count == 1)
        #expect(notices.first?.contains("【KPI 未达标】维修24小时完成率 · 全公司：80%") == true, "\(notices)")
        #expect(notices.first?.contains("来源：《物业服务标准》5.2") == true)
        #expect(notices.first?.components(separatedBy: "目标 ≥ 90%").count == 2, "the target named once: \(notices)")
        #expect(notices.first?.contains("低于 95% 预警") == true, "the warning line with its side: \(notices)")
        let job = try #require(try await store.outbox(state: nil, limit: 10).first { $0.subject == .kpi })
        #expect(job.recipients.map(\.person) == ["li"], "the manager of the KPI's team")

        // An hour later, still breached: no second notice. A restarted service knows the alarm.
        try await service.refresh(now: t0 + 26 * 3600)
        let restarted = KPIService(store: store, rules: rules, clock: SystemClock(), logger: Logger(label: "test"))
        try await restarted.refresh(now: t0 + 26 * 3600)
        #expect(try await kpiNotices(store).count == 1)

        // A day after the notice: the repeat, once.
        try await restarted.refresh(now: t0 + 49 * 3600)
        try await restarted.refresh(now: t0 + 50 * 3600)
        notices = try await kpiNotices(store)
        #expect(notices.count == 2)
        #expect(notices.last?.contains("【KPI 预警·持续】") == true, "\(notices)")

        // 30 more on time: 38 of 40 = 95 %, back above the warning line but not past the clear line (96 %).
        try await repairs(store, engine: engine, prefix: "B", count: 30, onTime: 30, at: t0 + 51 * 3600)
        snapshot = try await restarted.refresh(now: t0 + 53 * 3600)
        #expect(snapshot.tiles.first?.overall.value == 0.95)
        #expect(try await kpiNotices(store).count == 2)

        // 20 more: 58 of 60 ≈ 96.7 %: the all-clear, once.
        try await repairs(store, engine: engine, prefix: "C", count: 20, onTime: 20, at: t0 + 54 * 3600)
        try await restarted.refresh(now: t0 + 56 * 3600)
        try await restarted.refresh(now: t0 + 57 * 3600)
        notices = try await kpiNotices(store)
        #expect(notices.count == 3)
        #expect(notices.last?.hasPrefix("【KPI 恢复】维修24小时完成率 · 全公司：96.7%") == true, "\(notices)")
    }

    @Test func rulesWithoutKPIsCostNothing() async throws {
        let result = RuleLoader.check([SourceFile(path: "p.sla", text: "calendar cn { timezone Asia/Shanghai }")])
        let engine = try Engine(rules: try #require(result.ruleSet))
        let store = try SQLiteTicketStore.open(folder: folder())
        let service = KPIService(store: store, rules: RulesHolder(engine: engine), clock: SystemClock(), logger: Logger(label: "test"))
        let snapshot = try await service.refresh(now: t0)
        #expect(snapshot.tiles.isEmpty && snapshot.computedAt == t0)
    }
}

/// What the KPI service reads from the store carries the visit's score and the repeat mark.
struct KPIServiceFactsTests {
    @Test func scoresAndRepeatsReachTheKPIs() async throws {
        let rules = KPIServiceTests.rules + """

        site cuihu "翠湖花园" { households 100 }
        repeats { within 30d }
        kpi satisfaction "满意度" { measure satisfaction; target at-least 4.5 }
        kpi repeats "重复报修率" { measure repeat-rate; when kind = repair }
        """
        let result = RuleLoader.check([SourceFile(path: "kpi.sla", text: rules)])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        let engine = try Engine(rules: try #require(result.ruleSet))
        let store = try SQLiteTicketStore.open(folder: KPIServiceTests().folder())
        let t0 = KPIServiceTests().t0
        let fields = TicketFields(kind: "repair", site: "cuihu", building: "3栋", unit: "1102")
        _ = try await store.create(Ticket(id: "R1", fields: fields, createdAt: t0), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        for (kind, offset) in [(EventKind.resolved, 3600), (.revisited, 7200), (.closed, 7300)] {
            let event = TicketEventRecord(kind: kind, at: t0 + offset, actor: "wang", score: kind == .revisited ? 4 : nil)
            _ = try await store.append(event, to: "R1", engine: engine, now: t0 + offset)
        }
        _ = try await store.create(Ticket(id: "R2", fields: fields, createdAt: t0 + 86_400), idempotencyKey: nil, actor: nil, engine: engine,
                                   now: t0 + 86_400)
        let service = KPIService(store: store, rules: RulesHolder(engine: engine), clock: SystemClock(), logger: Logger(label: "test"))
        let snapshot = try await service.refresh(now: t0 + 2 * 86_400)
        let satisfaction = try #require(snapshot.tiles.first { $0.kpi == "satisfaction" })
        #expect(satisfaction.overall.value == 4 && satisfaction.overall.level == .breached)
        let repeats = try #require(snapshot.tiles.first { $0.kpi == "repeats" })
        #expect(repeats.overall.value == 0.5 && repeats.overall.sample == 2, "R2 repeats R1")
    }
}

/// A ticket opened before the KPI service's lookback and closed later leaves the open count: the
/// service reads every ticket changed since its last look, however old.
struct KPIServiceOldTicketTests {
    @Test func anOldOpenTicketClosedLaterIsNoLongerCountedOpen() async throws {
        let rules = KPIServiceTests.rules + "\nkpi open \"未结工单\" { measure open }\n"
        let result = RuleLoader.check([SourceFile(path: "kpi.sla", text: rules)])
        let engine = try Engine(rules: try #require(result.ruleSet))
        let store = try SQLiteTicketStore.open(folder: KPIServiceTests().folder())
        let t0 = KPIServiceTests().t0
        let old = Ticket(id: "OLD", fields: TicketFields(kind: "repair", site: "cuihu"), createdAt: t0)
        _ = try await store.create(old, idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        let service = KPIService(store: store, rules: RulesHolder(engine: engine), clock: SystemClock(), logger: Logger(label: "test"))
        let later = t0 + 200 * 86_400
        var open = try #require(try await service.refresh(now: later).tiles.first { $0.kpi == "open" })
        #expect(open.overall.value == 1)
        _ = try await store.append(TicketEventRecord(kind: .closed, at: later + 60, actor: "wang"), to: "OLD", engine: engine, now: later + 60)
        open = try #require(try await service.refresh(now: later + 120).tiles.first { $0.kpi == "open" })
        #expect(open.overall.value == 0)
    }
}
