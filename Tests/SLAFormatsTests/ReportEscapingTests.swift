import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SLAEngine
import SLAFormats
import Testing

/// Plan titles, names, notes and reasons are operator text: none of it may break the HTML, the SVG, a
/// Markdown table or the JSON.
@Suite struct ReportEscapingTests {
    static let hostile = "</svg><script>alert(\"x\")</script> & 'q' | a|b\nnext line\r\n`code` <b>"

    static var report: IncidentReport {
        var report = ReportFixtures.lateReport
        report.incidentID = "E<1>&\"2\""
        report.planTitle = hostile
        report.site = hostile
        report.closeReason = hostile
        report.openedBy = "O'Brien \"ob\""
        report.steps[2].note = hostile
        report.steps[2].confirmedBy = "<img src=x onerror=alert(1)>"
        report.steps[2].title = hostile
        report.notifications[0].recipients = ["张伟 | <x>", "a\nb"]
        report.notifications[0].channel = "ops\"><script>"
        return report
    }

    @Test func theHTMLHasNoLiveMarkupFromOperatorText() throws {
        let html = Self.report.html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;/svg&gt;&lt;script&gt;"))
        #expect(html.contains("O&#39;Brien &quot;ob&quot;"))
        // Exactly one timeline, closed once, with every step's group intact.
        #expect(html.components(separatedBy: "<svg class=\"timeline\"").count == 2)
        #expect(html.components(separatedBy: "</svg>").count == 2)
        #expect(html.components(separatedBy: "<g class=\"step\"").count == Self.report.steps.count + 1)
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!html.contains("https://"))
    }

    /// The timeline is well-formed XML even with hostile text: an XML parser reads it whole and finds
    /// one step group per step, each with its name intact.
    @Test func theTimelineIsWellFormedXML() throws {
        var report = Self.report
        report.steps[0].name = "a\"b<c>&d"
        let html = report.html()
        let start = try #require(html.range(of: "<svg class=\"timeline\""))
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        let svg = String(html[start.lowerBound..<end.upperBound])
        final class Steps: NSObject, XMLParserDelegate {
            var names: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if name == "g", attributes["class"] == "step", let step = attributes["data-step"] { names.append(step) }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let steps = Steps()
        parser.delegate = steps
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(steps.names == report.steps.map(\.name))
    }

    @Test func theMarkdownTablesKeepTheirShape() throws {
        let markdown = Self.report.markdown()
        #expect(!markdown.contains("<script"))
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        // Every table row has as many unescaped pipes as its header.
        var expected: Int?
        for line in lines {
            guard line.hasPrefix("|") else { expected = nil; continue }
            let pipes = Self.unescapedPipes(String(line))
            if let expected { #expect(pipes == expected, "row breaks its table: \(line)") } else { expected = pipes }
        }
        // The note's line breaks stay inside its cell.
        #expect(lines.contains { $0.contains("a\\|b<br>next line<br>") })
        #expect(!lines.contains { $0.hasPrefix("next line") })
    }

    @Test func theJSONRoundTripsTheText() throws {
        let report = Self.report
        let text = report.json()
        #expect(!text.contains("<") && !text.contains(">"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["planTitle"] as? String == Self.hostile)
        #expect(object["incident"] as? String == "E<1>&\"2\"")
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps[2]["note"] as? String == Self.hostile)
    }

    @Test func theTrendEscapesToo() throws {
        var reports = ReportFixtures.trendReports
        reports[4].incidentID = "</svg><script>"
        let trend = PlanTrend.make(plan: ReportFixtures.plan("elevator-trapped"), reports: reports)
        #expect(!trend.html().contains("<script"))
        #expect(trend.markdown().contains("&lt;/svg&gt;&lt;script&gt;"))
        #expect(try JSONSerialization.jsonObject(with: Data(trend.json().utf8)) is [String: Any])
    }

    static func unescapedPipes(_ line: String) -> Int {
        var count = 0, escaped = false
        for character in line {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true } else if character == "|" { count += 1 }
        }
        return count
    }
}
