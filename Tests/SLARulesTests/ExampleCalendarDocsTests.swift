import Foundation
import Testing
@testable import SLARules

/// docs/rules.md's example calendar must not teach wrong dates: every day it declares agrees with the
/// shipped data (rules/calendars/cn-2026.days), and in the months it covers it leaves none out (it once
/// lacked the 2026 Mid-Autumn holiday and the 20 September make-up day).
@Suite struct ExampleCalendarDocsTests {
    @Test func theExampleCalendarAgreesWithTheShippedData() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let start = try #require(text.range(of: "```sla\n# rules/example.sla\n"))
        let block = String(text[start.upperBound...].prefix { $0 != "}" }) + "}\n"
        let example = RuleLoader.check([SourceFile(path: "example.sla", text: block)])
        let exampleDays = try #require(example.ruleSet?.calendars["cn"]?.days, "\(example.diagnostics)")
        #expect(!exampleDays.isEmpty)

        let shippedText = "calendar cn { timezone Asia/Shanghai; workdays mon-fri; include \"calendars/cn-2026.days\" }\n"
        let folder = repositoryRoot.appendingPathComponent("rules")
        let shipped = RuleLoader.check([SourceFile(path: "cn.sla", text: shippedText)]) { path, _ in
            (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
        }
        let shippedDays = try #require(shipped.ruleSet?.calendars["cn"]?.days, "\(shipped.diagnostics)")

        for (date, day) in exampleDays {
            #expect(shippedDays[date]?.isWorking == day.isWorking, "docs/rules.md declares \(date) \(day.isWorking ? "work" : "off"); the shipped data does not")
            #expect(shippedDays[date]?.name == day.name, "\(date): \(day.name) in the docs, \(shippedDays[date]?.name ?? "nothing") shipped")
        }
        let months = Set(exampleDays.keys.map { "\($0)".prefix(7) })
        for (date, day) in shippedDays where months.contains("\(date)".prefix(7)) {
            #expect(exampleDays[date] != nil, "docs/rules.md's example leaves out \(date) \(day.name)")
        }
    }

    /// The table of top-level keywords lists every construct, and no count in the prose can go stale.
    @Test func theKeywordTableListsEveryConstruct() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let start = try #require(text.range(of: "| keyword | defines |"))
        let table = text[start.upperBound...].split(separator: "\n").dropFirst().prefix { $0.hasPrefix("|") }
        let listed = table.compactMap { $0.split(separator: "`").dropFirst().first.map(String.init) }
        #expect(listed.sorted() == Constructs.keywords.sorted())
    }
}
