import Foundation
@testable import SLADaemon
import SLAEngine
import SLAFormats
import SLARules
import SLAStore
import Testing

/// The 看板's parts without a browser: the trend line's geometry, `slad_kpi` in /metrics, and the two
/// routes answered by the real API router on a real store. Values are `KPIText`'s (KPITextTests).
@Suite struct DashboardFormatTests {
    @Test func timeLeftIsWrittenAsTheReportsWriteTimes() {
        #expect(DashboardFormat.remaining(Instant(seconds: 1000), now: Instant(seconds: 280)) == "剩 12分钟")
        #expect(DashboardFormat.remaining(Instant(seconds: 1000), now: Instant(seconds: 4900)) == "超 1小时5分")
    }

    /// One formatter: every tile's value and lines are exactly what the report and the notices write.
    @Test func tilesWriteValuesAndLinesAsTheReportDoes() throws {
        let rules = try #require(RuleLoader.check([SourceFile(path: "r.sla", text: "calendar cn { timezone Asia/Shanghai }")]).ruleSet)
        for tile in SampleSnapshots.first().tiles {
            let view = DashboardView.TileView(tile, names: DashboardView.Names(rules: rules), zone: try #require(ZoneTable(identifier: "Asia/Shanghai")))
            #expect(view.value == KPIReport.text(tile.overall.value, unit: tile.unit))
            let target = tile.target.map { KPILine(value: $0, higherIsBetter: tile.higherIsBetter) }
            #expect(view.target == target.map { "目标 " + KPIReport.text(target: $0, unit: tile.unit) })
        }
    }

    /// A tile without data says why, as the report does (without its 无数据, which the badge says).
    @Test func aTileWithoutDataSaysWhy() throws {
        let rules = try #require(RuleLoader.check([SourceFile(path: "r.sla", text: "calendar cn { timezone Asia/Shanghai }")]).ruleSet)
        let zone = try #require(ZoneTable(identifier: "Asia/Shanghai"))
        let tiles = SampleSnapshots.first().tiles
        let empty = try #require(tiles.first { $0.kpi == "revisit-rate" })
        let kpi = KPI(name: "revisit-rate", measure: .revisitRate, location: SourceRange(file: 0, start: 0, end: 0))
        let view = DashboardView.TileView(empty, rule: kpi, names: DashboardView.Names(rules: rules), zone: zone)
        #expect(view.reason == "期间内没有已解决（resolved）的工单；只关闭（closed）未解决的不计")
        let full = try #require(tiles.first { $0.kpi == "repair-24h" })
        #expect(DashboardView.TileView(full, rule: kpi, names: DashboardView.Names(rules: rules), zone: zone).reason == nil)
        #expect(DashboardTemplate.text.contains("{{#reason}}<div class=\"reason\">{{reason}}</div>{{/reason}}"))
    }

    /// One page shell: the 看板 and the action pages open with the same head and font stack.
    @Test func theBoardAndTheActionPagesShareOneHead() {
        #expect(DashboardTemplate.text.hasPrefix(PageShell.head(css: DashboardTemplate.css) + "\n<body"))
        #expect(ActionPageTemplate.text.hasPrefix(PageShell.head(css: ActionPageTemplate.css) + "\n<body"))
        #expect(DashboardTemplate.css.contains(PageShell.fonts) && ActionPageTemplate.css.contains(PageShell.fonts))
        #expect(PageShell.head(css: "x").contains("<meta name=\"robots\" content=\"noindex, nofollow\">"))
    }

    @Test func aTrendWithAGapIsTwoLinesHighValuesOnTop() {
        let now = Instant(seconds: 100 * 86_400)
        let points = [0.9, 0.95, nil, 0.92, 1.0].enumerated().map { index, value in
            KPITrendPoint(start: now, end: now + index * 86_400, value: value)
        }
        let line = Sparkline(trend: points, target: 0.93)
        #expect(line.segments.map(\.count) == [2, 2])
        #expect(line.count == 4 && line.hasPoints)
        // x every 28.5 from 3 to 117; y from 33 (0.9, the lowest) up to 3 (1.0, the highest).
        #expect(line.segments[0].points == "3,33 31.5,18")
        #expect(line.segments[1].points == "88.5,27 117,3")
        #expect(line.targetY == "24" && line.lastX == "117" && line.lastY == "3")
    }

    @Test func aTrendWithoutDataDrawsNothing() {
        let line = Sparkline(trend: [KPITrendPoint(start: Instant(seconds: 0), end: Instant(seconds: 1), value: nil)], target: nil)
        #expect(line.segments.isEmpty && !line.hasPoints && line.targetY == nil)
    }
}

@Suite struct KPIMetricsTests {
    @Test func everyKPIAndGroupIsASeriesLabelledByItsGrouping() {
        let text = KPIMetrics.text(SampleSnapshots.first())
        #expect(text.contains("# TYPE slad_kpi gauge\n"))
        #expect(text.contains("slad_kpi{kpi=\"repair-24h\"} 0.912\n"))
        #expect(text.contains("slad_kpi{kpi=\"repair-24h\",site=\"site-001\"} 0.800"))
        #expect(text.contains("slad_kpi{kpi=\"response-median\"} 5400.0\n"))
        #expect(text.contains("slad_kpi_level{kpi=\"repair-24h\"} 2\n") && text.contains("slad_kpi_level{kpi=\"satisfaction\"} 1\n"))
        #expect(text.contains("slad_kpi_target{kpi=\"repair-24h\"} 0.93\n"))
        // No data: no value, level -1.
        #expect(!text.contains("slad_kpi{kpi=\"revisit-rate\"}") && text.contains("slad_kpi_level{kpi=\"revisit-rate\"} -1\n"))
        #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("slad_kpi{kpi=\"repair-24h\",site=") }.count == 500)
    }

    @Test func labelValuesAreEscapedAndAnEmptySnapshotAddsNothing() {
        #expect(KPIMetrics.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        #expect(KPIMetrics.text(.empty).isEmpty)
        #expect(KPIMetrics.appending(.empty, to: "x 1\n") == "x 1\n")
        #expect(KPIMetrics.appending(SampleSnapshots.first(), to: "x 1").hasPrefix("x 1\n# HELP slad_kpi "))
    }
}

@Suite struct DashboardRouteTests {
    @Test func thePageShowsEveryTileListAndIncidentEscaped() async throws {
        try await DashboardServer.with(snapshot: SnapshotBox(SampleSnapshots.first())) { server in
            let reply = try await server.client.get("/dashboard")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
            let policy = try #require(reply.header("Content-Security-Policy"))
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'sha256-") && policy.contains("connect-src 'self'"))
            let html = reply.body
            for (kpi, value, level) in SampleSnapshots.expected {
                #expect(html.contains("<article class=\"tile level-\(level)\" data-kpi=\"\(kpi)\">"), "tile \(kpi)")
                #expect(html.contains("<div class=\"value\">\(value)</div>"), "value of \(kpi)")
            }
            #expect(html.contains("共 500 个小区 · 未达标 3 · 预警 12") && html.contains("site-003") && !html.contains("site-004"))
            // Each line says its side: the target the good one, the warning when it comes.
            #expect(html.contains("目标 ≥ 93%") && html.contains("低于 95% 预警") && html.contains("目标 ≤ 30分钟"))
            #expect(html.contains("高于 25分钟 预警") && html.contains("2.35件/百户") && !html.contains("预警 ≥"))
            #expect(html.contains("<polyline points=\""))
            // Lists: R-2's respond runs out at 10:25, R-1's at 10:10; R-3 (10:00 - 90 min) is later than R-4 (- 15 min).
            let atRisk = try #require(html.range(of: "id=\"at-risk\"")), breached = try #require(html.range(of: "id=\"breached\""))
            let riskPart = String(html[atRisk.upperBound..<breached.lowerBound])
            #expect(order(riskPart, ["R-1", "R-2"]) && riskPart.contains("剩 10分钟") && riskPart.contains("张伟") && riskPart.contains("响应"))
            #expect(order(String(html[breached.upperBound...]), ["R-3", "R-4"]) && html.contains("超 1小时30分"))
            #expect(html.contains("&lt;img src=//evil.example/x.png&gt;5栋") && !html.contains("<img"))
            #expect(html.contains("<tr data-policy=\"repair\"><td>报修</td><td>4</td><td class=\"hot\">2</td></tr>"))
            #expect(html.contains("data-incident=\"D-1\"") && html.contains("<span class=\"tag\">演练</span><b>电梯困人</b>"))
            #expect(html.contains("步骤 <b class=\"done\">1/3</b> 已确认") && html.contains("width:33%"))
            #expect(html.contains("<script>\(DashboardTemplate.script)</script>"))
            #expect(html.contains("更新于 <span id=\"generated\">2025-12-03 10:00:00</span> · 指标计算于 2025-12-03 09:59"))
        }
    }

    @Test func theJSONIsTheSameBoard() async throws {
        try await DashboardServer.with(snapshot: SnapshotBox(SampleSnapshots.first())) { server in
            let reply = try await server.client.get("/v1/dashboard?limit=1")
            #expect(reply.status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            let tiles = try #require(object["tiles"] as? [[String: Any]])
            #expect(tiles.map { $0["level"] as? String } == SampleSnapshots.expected.map(\.level))
            #expect(tiles.first?["raw"] as? Double == 0.912 && tiles.first?["value"] as? String == "91.2%")
            let atRisk = try #require(object["atRisk"] as? [String: Any])
            #expect((atRisk["rows"] as? [[String: Any]])?.map { $0["id"] as? String } == ["R-1"])
            #expect(atRisk["total"] as? Int == 2 && atRisk["more"] as? Int == 1)
            #expect(object["overdueTotal"] as? Int == 2 && object["openTotal"] as? Int == 5)
        }
    }

    @Test func badParametersAreRefusedAndMetricsCarryTheKPIs() async throws {
        try await DashboardServer.with(snapshot: SnapshotBox(SampleSnapshots.first())) { server in
            let unknown = try await server.client.get("/dashboard?refesh=5")
            #expect(unknown.status == 400 && unknown.body.contains("\"field\":\"refesh\"") && unknown.body.contains("refresh"))
            #expect(try await server.client.get("/dashboard?refresh=1").status == 400)
            #expect(try await server.client.get("/v1/dashboard?limit=500").status == 400)
            #expect(try await server.client.get("/dashboard?refresh=5").body.contains("data-refresh=\"5\""))
            let metrics = try await server.client.get("/metrics")
            #expect(metrics.body.contains("slad_kpi{kpi=\"repair-24h\"} 0.912"))
        }
    }

    @Test func withoutKPIsThePageSaysSo() async throws {
        try await DashboardServer.with(snapshot: SnapshotBox(.empty)) { server in
            let html = try await server.client.get("/dashboard").body
            #expect(html.contains("规则中还没有指标") && html.contains("id=\"at-risk\""))
        }
    }

    /// Whether `ids` appear in `text` in this order.
    func order(_ text: String, _ ids: [String]) -> Bool {
        let positions = ids.compactMap { text.range(of: "data-ticket=\"\($0)\"")?.lowerBound }
        return positions.count == ids.count && positions == positions.sorted()
    }
}

/// A row of the breached list at the very second its clock ran out reads 超 0秒, never 剩 0秒.
@Suite struct DashboardListTests {
    @Test func aBreachedRowIsLateEvenAtItsDeadline() throws {
        let now = Instant(seconds: 1_764_727_200)
        let ticket = BoardTicket(id: "B1", policy: nil, fields: TicketFields(kind: "complaint"), assignee: nil, clock: "respond", deadline: now)
        let engine = try Engine(rules: try #require(RuleLoader.check([SourceFile(path: "r.sla", text: "calendar cn { timezone Asia/Shanghai }")]).ruleSet))
        var board = BoardTickets()
        board.breached = [ticket]
        board.atRisk = [BoardTicket(id: "A1", policy: nil, fields: TicketFields(kind: "repair"), assignee: nil, clock: "respond", deadline: now + 90)]
        let view = DashboardView(snapshot: .empty, board: board, engine: engine, now: now)
        #expect(view.breached.rows.map(\.left) == ["超 0秒"])
        #expect(view.atRisk.rows.map(\.left) == ["剩 1分钟"])
    }
}
