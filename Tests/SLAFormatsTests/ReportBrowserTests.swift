import Foundation
import SLAFormats
import SLATestSupport
import Testing

/// The HTML report opened in headless Chromium (Debian's `chromium`, installed by scripts/install-deps):
/// the rendered DOM holds the timeline with one group per step and the late step marked `fail`, and a
/// screenshot comes out as a real PNG. Two browser runs in all: Chromium takes seconds to start.
/// `SLAD_SKIP_BROWSER=1` skips the suite on a machine without a browser (it shows as skipped);
/// `SLAD_KEEP_BROWSER_OUTPUT=DIR` keeps the page and the screenshot in DIR for a look, with the drill
/// report's and the trend's pages. `SLAD_CHROMIUM=PATH` names the browser when it is not on PATH.
@Suite(.disabled(if: Chromium.skipped, "SLAD_SKIP_BROWSER=1"))
struct ReportBrowserTests {
    @Test func theReportRendersWithItsTimelineAndPrintsAScreenshot() async throws {
        guard let browser = Chromium.required() else { return }
        try await Chromium.withFolder("slad-report") { folder in try await Chromium.onThread { try check(browser, in: folder) } }
    }

    func check(_ browser: String, in folder: URL) throws {
        let report = ReportFixtures.lateReport
        if Chromium.keptOutput != nil {
            // The other pages too, to open by hand.
            try ReportFixtures.drillReport.html().write(to: folder.appendingPathComponent("drill.html"), atomically: true, encoding: .utf8)
            let trend = PlanTrend.make(plan: ReportFixtures.plan("elevator-trapped"), reports: ReportFixtures.trendReports)
            try trend.html().write(to: folder.appendingPathComponent("trend.html"), atomically: true, encoding: .utf8)
        }
        let page = folder.appendingPathComponent("report.html")
        try report.html().write(to: page, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("profile")

        let dom = try Chromium.run(browser, ["--dump-dom", page.absoluteString], profile: profile)
        #expect(dom.contains("<svg class=\"timeline\""), "no timeline in the rendered DOM:\n\(dom.prefix(500))")
        #expect(dom.components(separatedBy: "<g class=\"step\"").count - 1 == report.steps.count)
        #expect(dom.contains("<g class=\"step\" data-step=\"arrive\" data-result=\"fail\">"))
        #expect(dom.contains("data-drill=\"false\""))
        #expect(dom.contains("维保人员堵车迟到"))

        let png = folder.appendingPathComponent("report.png")
        _ = try Chromium.run(browser, ["--screenshot=\(png.path)", "--window-size=1000,1500", page.absoluteString], profile: profile)
        let bytes = try #require(try? Data(contentsOf: png), "no screenshot at \(png.path)")
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        #expect(bytes.count > 20_000, "a screenshot of \(bytes.count) bytes is too small to show the report")
        if bytes.count > 24 {
            let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width >= 800 && height >= 1000, "screenshot is \(width)×\(height)")
        }
    }
}
