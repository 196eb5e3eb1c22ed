import Foundation
import Testing
@testable import SLARules

/// The docs are part of the feature: every diagnostic code is in docs/rules.md's table.
@Suite struct DocsTests {
    @Test func diagnosticsTableListsEveryCode() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| E") || $0.hasPrefix("| W") }
        let documented = Set(rows.compactMap { $0.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) })
        for code in DiagnosticCode.allCases {
            #expect(documented.contains(code.rawValue), "docs/rules.md does not list \(code.rawValue)")
        }
        #expect(documented.count == DiagnosticCode.allCases.count, "the table lists codes that do not exist")
    }

    /// docs/plans.md's example plan checks without errors against the shipped people, teams, rosters and
    /// channels (in place of the shipped plan of the same name, with the drill channel it names).
    @Test func plansGuideExampleChecks() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/plans.md"), encoding: .utf8)
        let start = try #require(text.range(of: "```sla\n"))
        let example = String(text[start.upperBound...].prefix { $0 != "`" })
        let folder = repositoryRoot.appendingPathComponent("rules")
        var files: [(String, String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".sla") && name != "plans.sla" {
            files.append((name, try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
        }
        files.append(("example.sla", example + "\nchannel ops-drill log {}\n"))
        let result = RuleLoader.check(files.map { SourceFile(path: $0.0, text: $0.1) }) { path, _ in
            (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
        }
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(result.ruleSet?.plans.first?.drillChannels == ["ops-drill"])
    }

    /// docs/rules.md's kpi example checks clean against the shipped rules (in place of rules/kpi.sla).
    @Test func kpiSectionExampleChecks() throws {
        let result = try checkRulesExample(section: "### 3.13 kpi", replacing: "kpi.sla")
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(result.ruleSet?.kpis.map(\.name) == ["repair-24h"])
    }

    /// docs/rules.md's watch example checks clean against the shipped rules (in place of rules/watch.sla).
    @Test func watchSectionExampleChecks() throws {
        let result = try checkRulesExample(section: "### 3.16 watch", replacing: "watch.sla")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.ruleSet?.watch?.team == "customer-service")
    }

    /// The first `sla` example after `section` in docs/rules.md, checked with the shipped rules but `replacing`.
    func checkRulesExample(section heading: String, replacing: String) throws -> CheckResult {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let section = try #require(text.range(of: heading))
        let start = try #require(text.range(of: "```sla\n", range: section.upperBound..<text.endIndex))
        let example = String(text[start.upperBound...].prefix { $0 != "`" })
        let folder = repositoryRoot.appendingPathComponent("rules")
        var files: [SourceFile] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".sla") && name != replacing {
            files.append(SourceFile(path: name, text: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
        }
        files.append(SourceFile(path: "example.sla", text: example))
        return RuleLoader.check(files) { path, _ in
            (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
        }
    }

    @Test func codesAreUniqueAndStable() {
        let raw = DiagnosticCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(DiagnosticCode.unexpectedToken.rawValue == "E003")
        #expect(DiagnosticCode.unreachablePolicy.rawValue == "W001")
    }
}
