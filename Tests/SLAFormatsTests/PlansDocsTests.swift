import Foundation
import SLAFormats
import Testing

/// docs/plans.md's "Reading a report" names every result, every trend direction and the timeline's markers.
@Suite struct PlansDocsTests {
    static func section() throws -> String {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/plans.md"), encoding: .utf8)
        let start = try #require(text.range(of: "\n## Reading a report\n"))
        let rest = text[start.upperBound...]
        return String(rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest)
    }

    @Test func theSectionExplainsResultsDirectionsAndTheTimeline() throws {
        let section = try Self.section()
        for word in ["PASS", "FAIL", "OPEN", "faster", "slower", "steady", "DRILL", "REAL INCIDENT", "pending", "dead",
                     "class=\"step\"", "data-result", "10 %", "10 seconds"] {
            #expect(section.contains(word), "docs/plans.md's Reading a report does not mention \(word)")
        }
        #expect(PlanTrend.tolerance(previous: 600) == 60 && PlanTrend.tolerance(previous: 30) == 10)
    }
}
