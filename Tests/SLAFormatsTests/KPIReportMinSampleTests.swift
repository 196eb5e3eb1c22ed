import Foundation
import SLAEngine
import SLAFormats
import SLARules
import Testing

/// The report of KPIs with `min sample`: a value over fewer than the minimum keeps its value and says
/// why it is not judged (`small sample 样本不足 (n/N)`) in the table, Markdown and HTML; CSV and JSON keep
/// the level `no-data`, and JSON says the minimum.
@Suite struct KPIReportMinSampleTests {
    /// The golden fixture's KPIs, with minimums: satisfaction's (the month's visits) out of reach, and
    /// repair-24h's (by site) the largest site's sample, so smaller sites fall short of it.
    static func report(satisfactionMinimum: Int = 1000, repairMinimum: Int? = nil) -> KPIReport {
        let kpis = KPIReportFixtures.kpis.map { kpi -> KPI in
            var kpi = kpi
            if kpi.name == "satisfaction" { kpi.minSample = satisfactionMinimum }
            if kpi.name == "repair-24h" { kpi.minSample = repairMinimum ?? largestSite }
            return kpi
        }
        return KPIReport.make(calculator: KPICalculator(engine: testEngine), kpis: kpis, facts: facts,
                              period: KPIReportFixtures.september, zone: KPIReportFixtures.zone, grouping: nil, source: "september.jsonl")
    }

    /// The golden fixture's month without haian's first four tickets, so that its sites' samples differ.
    static let facts = KPIReportFixtures.facts.filter { !($0.fields.site == "haian" && Int($0.id.dropFirst())! < 12) }

    /// repair-24h's largest site sample without a minimum.
    static let largestSite = KPICalculator(engine: testEngine).breakdown(of: KPIReportFixtures.kpis[0], over: facts,
                                                                         period: KPIReportFixtures.september, now: KPIReportFixtures.september.end)
        .groups.map(\.sample).max() ?? 0

    func row(_ report: KPIReport, _ name: String) throws -> KPIReport.Row {
        try #require(report.rows.first { $0.kpi.name == name })
    }

    @Test func theTableSaysTheSampleIsShortBesideTheValue() throws {
        let report = Self.report()
        let satisfaction = try row(report, "satisfaction").breakdown.overall
        #expect(satisfaction.level == .noData && satisfaction.value != nil && satisfaction.isShortOfSample)
        let table = report.table()
        let line = try #require(table.split(separator: "\n").first { $0.hasPrefix("satisfaction ") })
        #expect(line.hasSuffix("small sample 样本不足 (\(satisfaction.sample)/1000)"), "\(line)")
        #expect(line.contains(KPIReport.text(satisfaction.value, unit: .score)), "the value is still shown: \(line)")
        // Groups are judged on their own samples: the largest site at the minimum, the others below it.
        let repair = try row(report, "repair-24h").breakdown
        #expect(repair.groups.contains { $0.isShortOfSample } && repair.groups.contains { !$0.isShortOfSample }, "\(repair.groups)")
        for group in repair.groups {
            let groupLine = try #require(table.split(separator: "\n").first { $0.hasPrefix("  site \(group.group!) ") })
            #expect(groupLine.hasSuffix("样本不足 (\(group.sample)/\(Self.largestSite))") == (group.sample < Self.largestSite), "\(groupLine)")
        }
        // The whole company is judged on all the sites' sample.
        #expect(table.split(separator: "\n").first { $0.hasPrefix("repair-24h ") }?.hasSuffix("breached 未达标") == true)
    }

    @Test func markdownAndHTMLSayItToo() throws {
        let report = Self.report()
        let sample = try row(report, "satisfaction").breakdown.overall.sample
        #expect(report.markdown().contains("| \(sample) | small sample 样本不足 (\(sample)/1000) |"))
        let html = report.html()
        #expect(html.contains("<span class=\"level no-data\">small sample 样本不足 (\(sample)/1000)</span>"))
        // Each week has fewer visits than the month: every weekly bar is grey, its value still drawn.
        let chart = try #require(html.components(separatedBy: "<svg class=\"kpi-trend\" data-kpi=\"satisfaction\"").dropFirst().first)
        let bars = chart.components(separatedBy: "</svg>")[0].components(separatedBy: "<rect class=\"bar ").dropFirst()
        #expect(!bars.isEmpty && bars.allSatisfy { $0.hasPrefix("no-data\"") })
    }

    @Test func csvAndJSONKeepTheLevelAndJSONSaysTheMinimum() throws {
        let report = Self.report()
        let csv = try #require(report.csv().split(separator: "\n").first { $0.hasPrefix("satisfaction,") })
        #expect(csv.contains(",no-data,"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let kpis = try #require(object["kpis"] as? [[String: Any]])
        let satisfaction = try #require(kpis.first { $0["kpi"] as? String == "satisfaction" })
        #expect(satisfaction["minSample"] as? Int == 1000)
        #expect((satisfaction["overall"] as? [String: Any])?["level"] as? String == "no-data")
        #expect((satisfaction["overall"] as? [String: Any])?["value"] as? Double != nil)
        // Without a minimum the key is absent, as in the golden report.
        #expect(kpis.first { $0["kpi"] as? String == "median-complete" }?["minSample"] == nil)
    }

    /// At the minimum the value is judged as without one.
    @Test func atTheMinimumTheLevelIsTheLinesOwn() throws {
        let plain = try row(Self.report(satisfactionMinimum: 1), "satisfaction").breakdown.overall
        let atMinimum = try row(Self.report(satisfactionMinimum: plain.sample), "satisfaction").breakdown.overall
        #expect(atMinimum.level == plain.level && atMinimum.level != .noData)
        #expect(!atMinimum.isShortOfSample)
    }
}
