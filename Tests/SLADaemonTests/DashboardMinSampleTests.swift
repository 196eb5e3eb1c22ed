import Foundation
@testable import SLADaemon
import SLAEngine
import SLARules
import SLATestSupport
import Testing

/// A KPI whose sample is below its `min sample` (docs/dashboard.md): the tile is grey (`level-no-data`),
/// its badge says 样本不足 (3/10), its value is still shown; `/v1/dashboard` carries `minSample`;
/// `/metrics` has the value with level -1.
enum MinSampleSnapshots {
    static let now = DashboardServer.now

    /// satisfied-share: 2 of 3 visits satisfied, with a minimum of 10; by site, one site with 12 visits
    /// (judged, breached) and one with 3 (short).
    static func snapshot() -> KPISnapshot {
        let trend = (0..<30).map { day in
            KPITrendPoint(start: now - (30 - day) * 86_400, end: now - (29 - day) * 86_400, value: day % 3 == 0 ? 0.5 : 1)
        }
        let groups = [
            KPIGroupValue(kpi: "satisfied-share", group: "cuihu", value: 0.75, sample: 12, count: 9, level: .breached, minSample: 10),
            KPIGroupValue(kpi: "satisfied-share", group: "fenglin", value: 2.0 / 3.0, sample: 3, count: 2, level: .noData, minSample: 10),
        ]
        var tile = KPITile(kpi: "satisfied-share", title: "满意率", unit: .share, higherIsBetter: true, target: 0.9, warn: nil,
                           period: KPIPeriod(start: now - 30 * 86_400, end: now),
                           overall: KPIGroupValue(kpi: "satisfied-share", group: nil, value: 2.0 / 3.0, sample: 3, count: 2,
                                                  level: .noData, minSample: 10),
                           groups: groups, trend: trend)
        tile.grouping = .site
        return KPISnapshot(computedAt: now - 60, tiles: [tile])
    }
}

@Suite struct DashboardMinSampleTests {
    @Test func theTileSaysTheSampleIsShortAndKeepsTheValue() throws {
        let rules = try #require(RuleLoader.check([SourceFile(path: "r.sla", text: "calendar cn { timezone Asia/Shanghai }")]).ruleSet)
        let tile = DashboardView.TileView(MinSampleSnapshots.snapshot().tiles[0], names: DashboardView.Names(rules: rules),
                                          zone: ZoneTable(identifier: "Asia/Shanghai")!)
        #expect(tile.level == "no-data" && tile.levelText == "样本不足 (3/10)")
        #expect(tile.value == "66.7%" && tile.minSample == 10 && tile.sample == 3)
        #expect(tile.groups.map(\.levelText) == ["未达标", "样本不足 (3/10)"])
        #expect(tile.groupSummary == "共 2 个小区 · 未达标 1 · 预警 0")
        // No sample at all is still 无数据.
        #expect(DashboardFormat.level(of: KPIGroupValue(kpi: "k", group: nil, value: nil, sample: 0, level: .noData, minSample: 10)) == "无数据")
    }

    @Test func theJSONAndTheMetricsCarryIt() async throws {
        try await DashboardServer.with(snapshot: SnapshotBox(MinSampleSnapshots.snapshot())) { server in
            let reply = try await server.client.get("/v1/dashboard")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            let tile = try #require((object["tiles"] as? [[String: Any]])?.first)
            #expect(tile["level"] as? String == "no-data" && tile["levelText"] as? String == "样本不足 (3/10)")
            #expect(tile["minSample"] as? Int == 10 && tile["value"] as? String == "66.7%")
            let metrics = try await server.client.get("/metrics").body
            #expect(metrics.contains("slad_kpi{kpi=\"satisfied-share\"} 0.666"))
            #expect(metrics.contains("slad_kpi_level{kpi=\"satisfied-share\"} -1\n"))
            #expect(metrics.contains("slad_kpi_level{kpi=\"satisfied-share\",site=\"fenglin\"} -1\n"))
            #expect(metrics.contains("slad_kpi_level{kpi=\"satisfied-share\",site=\"cuihu\"} 2\n"))
        }
    }
}

/// The same tile in real headless Chromium: grey, 样本不足 (3/10) on its badge, 66.7% as its value.
@Suite(.disabled(if: Chromium.skipped, "SLAD_SKIP_BROWSER=1"))
struct DashboardMinSampleBrowserTests {
    struct Tile: Decodable, Sendable {
        let classes: String, badge: String, value: String, border: String
    }

    @Test func aShortSampleIsGreyWithItsReason() async throws {
        guard Chromium.required() != nil else { return }
        let box = ResultBox<Tile>()
        try await Chromium.withFolder("slad-board-min-sample") { folder in
            try await DashboardServer.with(snapshot: SnapshotBox(MinSampleSnapshots.snapshot())) { server in
                let tile = try await Chromium.onThread {
                    let browser = try PhoneBrowser(width: 1920, height: 1080, mobile: false)
                    defer { browser.close() }
                    _ = try browser.open(server.base + "/dashboard")
                    let tile = try browser.evaluate("""
                        (() => { const t = document.querySelector('[data-kpi="satisfied-share"]');
                          return {classes: t.className, badge: t.querySelector('.badge').textContent,
                                  value: t.querySelector('.value').textContent, border: getComputedStyle(t).borderTopColor}; })()
                        """, as: Tile.self)
                    try browser.shot(folder.appendingPathComponent("dashboard-min-sample.png"))
                    return tile
                }
                box.set(tile)
            }
        }
        let tile = try #require(box.get())
        #expect(tile.classes == "tile level-no-data")
        #expect(tile.badge == "样本不足 (3/10)")
        #expect(tile.value == "66.7%")
        #expect(tile.border == "rgb(107, 114, 128)", "the no-data grey (#6b7280)")
    }
}
