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

    @Test func valuesForPeople() {
        #expect(KPIReport.text(0.9351, unit: .share) == "93.5%")
        #expect(KPIReport.text(1, unit: .share) == "100.0%")
        #expect(KPIReport.text(9000, unit: .seconds) == "2h30m")
        #expect(KPIReport.text(4.666, unit: .score) == "4.67")
        #expect(KPIReport.text(12, unit: .count) == "12")
        #expect(KPIReport.text(Double?.none, unit: .count) == "—")
        #expect(KPIReport.text(KPILine(value: 0.93, higherIsBetter: true), unit: .share) == "≥ 93.0%")
    }
}
