import Foundation
import Logging
import SLADaemon
import SLAEngine
import SLARules
import SLAStore
import Testing

/// The KPI service with `min sample`: a KPI over fewer repairs than its minimum stores no alarm and sends
/// nothing however bad its value; once the sample reaches the minimum it warns like any other.
struct KPIServiceMinSampleTests {
    @Test func belowTheMinimumNothingIsSent() async throws {
        let base = KPIServiceTests()
        let rules = KPIServiceTests.rules.replacingOccurrences(of: "  warn below 95%\n", with: "  warn below 95%\n  min sample 10\n")
        let result = RuleLoader.check([SourceFile(path: "kpi.sla", text: rules)])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        let engine = try Engine(rules: try #require(result.ruleSet))
        #expect(engine.rules.kpis.first?.minSample == 10)
        let store = try SQLiteTicketStore.open(folder: base.folder())
        let service = KPIService(store: store, rules: RulesHolder(engine: engine), clock: SystemClock(), logger: Logger(label: "test"))

        // Four repairs, two late a day later: 50 % over a sample of 4, shown, not judged, nothing sent.
        try await base.repairs(store, engine: engine, prefix: "A", count: 4, onTime: 2, at: base.t0)
        var snapshot = try await service.refresh(now: base.t0 + 25 * 3600)
        #expect(snapshot.tiles.first?.overall.value == 0.5 && snapshot.tiles.first?.overall.sample == 4)
        #expect(snapshot.tiles.first?.overall.level == .noData && snapshot.tiles.first?.overall.isShortOfSample == true)
        try await service.refresh(now: base.t0 + 49 * 3600)
        #expect(try await base.kpiNotices(store).isEmpty)

        // Six more, on time: 8 of 10 reaches the minimum and is below the 90 % target: told once.
        try await base.repairs(store, engine: engine, prefix: "B", count: 6, onTime: 6, at: base.t0 + 50 * 3600)
        snapshot = try await service.refresh(now: base.t0 + 52 * 3600)
        #expect(snapshot.tiles.first?.overall.sample == 10 && snapshot.tiles.first?.overall.level == .breached)
        let notices = try await base.kpiNotices(store)
        #expect(notices.count == 1 && notices.first?.contains("【KPI 未达标】维修24小时完成率 · 全公司：80%") == true, "\(notices)")
    }
}
