import Foundation
import SLAEngine
import SLAFormats
import Testing

/// The Markdown and JSON of two reports and a trend, compared byte for byte with Golden/. Re-record on
/// purpose only, and read the diff: `SLAD_RECORD_GOLDEN=1 swift test --filter GoldenReportTests`
/// (`SLAD_UPDATE_GOLDEN=1` works too).
@Suite struct GoldenReportTests {
    static let folder = repositoryRoot.appendingPathComponent("Tests/SLAFormatsTests/Golden")
    static var recording: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["SLAD_RECORD_GOLDEN"] == "1" || environment["SLAD_UPDATE_GOLDEN"] == "1"
    }

    static let cases: [(String, @Sendable () -> String)] = [
        ("drill-report.md", { ReportFixtures.drillReport.markdown() }),
        ("drill-report.json", { ReportFixtures.drillReport.json() }),
        ("late-incident-report.md", { ReportFixtures.lateReport.markdown() }),
        ("late-incident-report.json", { ReportFixtures.lateReport.json() }),
        ("elevator-trend.md", { PlanTrend.make(plan: ReportFixtures.plan("elevator-trapped"), reports: ReportFixtures.trendReports).markdown() }),
        ("elevator-trend.json", { PlanTrend.make(plan: ReportFixtures.plan("elevator-trapped"), reports: ReportFixtures.trendReports).json() }),
    ]

    @Test(arguments: cases.map(\.0))
    func matchesGolden(_ name: String) throws {
        let actual = Self.cases.first { $0.0 == name }!.1()
        let url = Self.folder.appendingPathComponent(name)
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(name): record it with SLAD_RECORD_GOLDEN=1 swift test --filter GoldenReportTests")
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            Issue.record("""
                \(name) differs from the golden file at line \(line + 1):
                expected: \(line < e.count ? String(e[line]) : "<end>")
                actual:   \(line < a.count ? String(a[line]) : "<end>")
                Re-record on purpose with SLAD_RECORD_GOLDEN=1 swift test --filter GoldenReportTests
                """)
        }
    }

    @Test func theJSONParsesAndItsTimesCarryTheOffset() throws {
        for text in [ReportFixtures.drillReport.json(), ReportFixtures.lateReport.json()] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let opened = try #require(object["openedAt"] as? String)
            #expect(opened.hasSuffix("+08:00"))
            #expect(object["steps"] as? [Any] != nil)
        }
    }
}
