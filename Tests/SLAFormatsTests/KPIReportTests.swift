import Foundation
import SLAEngine
import SLAFormats
import SLARules
import Testing

/// The KPI report in every format: golden files (re-record on purpose: `SLAD_RECORD_GOLDEN=1 swift test
/// --filter KPIReportTests`), and what each format promises.
@Suite struct KPIReportTests {
    static let cases: [(String, @Sendable () -> String)] = [
        ("kpi-report.txt", { KPIReportFixtures.report().table() }),
        ("kpi-report.csv", { KPIReportFixtures.report().csv() }),
        ("kpi-report.json", { KPIReportFixtures.report().json() }),
        ("kpi-report.md", { KPIReportFixtures.report().markdown() }),
        ("kpi-report.html", { KPIReportFixtures.report().html() }),
        ("kpi-report-by-site.md", { KPIReportFixtures.report(grouping: .site).markdown() }),
    ]

    @Test(arguments: cases.map(\.0))
    func matchesGolden(_ name: String) throws {
        let actual = Self.cases.first { $0.0 == name }!.1()
        let url = GoldenReportTests.folder.appendingPathComponent(name)
        if GoldenReportTests.recording {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(try? String(contentsOf: url, encoding: .utf8), "missing golden file \(name): record it with SLAD_RECORD_GOLDEN=1")
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        #expect(actual == expected, "\(name) differs at line \(line + 1):\nexpected: \(line < e.count ? String(e[line]) : "<end>")\nactual:   \(line < a.count ? String(a[line]) : "<end>")")
    }

    @Test func theJSONParsesAndCarriesEveryKPI() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(KPIReportFixtures.report().json().utf8)) as? [String: Any])
        let kpis = try #require(object["kpis"] as? [[String: Any]])
        #expect(kpis.map { $0["kpi"] as? String } == KPIReportFixtures.kpis.map(\.name))
        let period = try #require(object["period"] as? [String: Any])
        #expect(period["start"] as? String == "2025-09-01T00:00:00+08:00")
        #expect(period["end"] as? String == "2025-10-01T00:00:00+08:00")
        let weekly = try #require(kpis[0]["weekly"] as? [Any])
        #expect(weekly.count == 5)
    }

    @Test func theHTMLIsSelfContainedWithAChartPerKPIAndABreakdownPerGroupedOne() {
        let html = KPIReportFixtures.report().html()
        #expect(!html.contains("<script"))
        // The only URL is SVG's namespace.
        let urls = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!urls.contains("http://") && !urls.contains("https://") && !urls.contains("src="))
        #expect(html.components(separatedBy: "<svg class=\"kpi-trend\"").count - 1 == KPIReportFixtures.kpis.count)
        // repair-24h by site, resolution by assignee.
        #expect(html.components(separatedBy: "<svg class=\"kpi-breakdown\"").count - 1 == 2)
        #expect(html.contains("data-by=\"site\""))
    }

    @Test func theCSVHasARowPerKPIAndGroup() {
        let report = KPIReportFixtures.report()
        let lines = report.csv().split(separator: "\n")
        let expected = 1 + report.rows.reduce(0) { $0 + 1 + $1.breakdown.groups.count }
        #expect(lines.count == expected)
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count >= 14 })
    }

    @Test func theTableAlignsChineseTitlesByTheirWidth() {
        let lines = KPIReportFixtures.report().table().split(separator: "\n").dropFirst(1)
        // The VALUE column ends at the same terminal column on every line.
        let header = String(lines.first!)
        let valueEnd = header.range(of: "VALUE")!.upperBound
        let column = header[..<valueEnd].unicodeScalars.reduce(0) { $0 + (($1.value >= 0x2E80) ? 2 : 1) }
        for line in lines.dropFirst() where line.hasPrefix("repair-24h") {
            let prefix = line.unicodeScalars.reduce(into: (0, "")) { state, scalar in
                if state.0 < column { state.0 += scalar.value >= 0x2E80 ? 2 : 1; state.1.unicodeScalars.append(scalar) }
            }.1
            #expect(prefix.hasSuffix("%"))
        }
    }

    /// The trial's findings: the warning line read backwards, a rate without its unit, "1 tickets", and
    /// "no data" without a reason.
    @Test func theTableSaysWhichSideOfEachLineIsBad() {
        let table = KPIReportFixtures.report().table()
        let line = table.split(separator: "\n").first { $0.hasPrefix("repair-24h") }.map(String.init) ?? ""
        #expect(line.contains("≥ 93%") && line.contains("< 95%"), "\(line)")
        #expect(!line.contains("≥ 95"), "the warning line shown as if it were a target: \(line)")
        #expect(table.contains("WARN IF"))
        let markdown = KPIReportFixtures.report().markdown()
        #expect(markdown.contains("| ≥ 93% | < 95% |"), "\(markdown)")
    }

    @Test func theCSVAndJSONCarryEachLinesSide() throws {
        let csv = KPIReportFixtures.report().csv().split(separator: "\n").map(String.init)
        #expect(csv[0].contains(",target,target_side,warn,warn_side,"))
        #expect(csv[1].contains(",0.93,at-least,0.95,below,"), "\(csv[1])")
        let repeats = try #require(csv.first { $0.hasPrefix("repeat-rate,") })
        #expect(repeats.contains(",0.05,at-most,,,"), "\(repeats)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(KPIReportFixtures.report().json().utf8)) as? [String: Any])
        let first = try #require((object["kpis"] as? [[String: Any]])?.first)
        #expect((first["target"] as? [String: Any])?["side"] as? String == "at-least")
        #expect((first["warn"] as? [String: Any])?["side"] as? String == "below")
    }

    @Test func aRateShowsItsUnitAndOneTicketIsNotTickets() {
        var kpi = KPIReportFixtures.kpis[6]
        kpi.target = KPILine(value: 5, higherIsBetter: false)
        let report = KPIReport(period: KPIReportFixtures.september, zone: KPIReportFixtures.zone, grouping: nil, source: "one.jsonl",
                               tickets: 1, rows: [KPIReport.Row(kpi: kpi, breakdown: KPIBreakdown(period: KPIReportFixtures.september,
                                                                                 overall: KPIGroupValue(kpi: kpi.name, group: nil, value: 2.5, sample: 1, level: .ok),
                                                                                 groups: []),
                                                     weekly: [])])
        #expect(report.table().contains("1 ticket from one.jsonl"), "\(report.table())")
        #expect(report.markdown().contains("· 1 ticket 工单 ·"))
        #expect(report.table().contains("2.5件/百户") && report.table().contains("≤ 5件/百户"), "\(report.table())")
        #expect(report.html().contains("2.5件/百户"))
    }

    /// `revisit-rate` on a month whose tickets were closed, never resolved: "no data", and why.
    @Test func noDataSaysWhyInEveryFormatForPeople() {
        let kpi = KPIReportFixtures.kpi("revisit-rate", "回访率", .revisitRate, target: KPILine(value: 0.9, higherIsBetter: true))
        let report = KPIReport.make(calculator: KPICalculator(engine: testEngine), kpis: [kpi], facts: [TicketFacts](), period: KPIReportFixtures.september,
                                    zone: KPIReportFixtures.zone, grouping: nil, source: "la.csv")
        let reason = "无数据：期间内没有已解决（resolved）的工单；只关闭（closed）未解决的不计"
        #expect(report.table().contains("revisit-rate: " + reason), "\(report.table())")
        #expect(report.markdown().contains("- `revisit-rate`: " + reason), "\(report.markdown())")
        #expect(report.html().contains(reason))
        #expect(report.json().contains(reason))
        #expect(!KPIReportFixtures.report().table().contains("median-complete: 无数据"), "only KPIs without data get a reason")
        // Some sample but no value (a minimum sample not reached): not "none at all".
        #expect(KPIReport.noDataReason(kpi, sample: 3) == "无数据：样本只有 3，不足以计算")
        // A value computed over fewer than the KPI's minimum is shown: the reason says it is not judged.
        let short = KPIGroupValue(kpi: kpi.name, group: nil, value: 0.75, sample: 4, level: .noData, minSample: 20)
        #expect(KPIReport.noDataReason(kpi, value: short) == "无数据：样本只有 4，少于最低样本 20，不作评判")
    }
}
