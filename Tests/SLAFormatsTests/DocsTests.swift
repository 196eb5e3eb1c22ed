import Foundation
import SLAEngine
@testable import SLAFormats
import SLARules
import Testing

/// docs/testing-rules.md is part of the feature: its example runs green on the shipped rules, and its
/// table lists every statement.
@Suite struct TestingRulesDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func doc() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/testing-rules.md"), encoding: .utf8)
    }

    /// The shipped rules, read the way `slad` reads a folder.
    static func shippedEngine() throws -> Engine {
        let folder = root.appendingPathComponent("rules")
        let names = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".sla") }.sorted()
        let sources = try names.map { SourceFile(path: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
        let result = RuleLoader.check(sources) { path, _ in
            (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
        }
        return try Engine(rules: try #require(result.ruleSet))
    }

    @Test func theExamplePassesOnTheShippedRules() throws {
        let text = try Self.doc()
        let start = try #require(text.range(of: "```text\n# rules/tests/complaints.slatest\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let example = String(text[start.upperBound..<end.lowerBound])
        let (file, diagnostics) = RuleTestParser.parse(example, path: "example.slatest")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        let engine = try Self.shippedEngine()
        let (tests, problems) = RuleTestCompiler.compile(file, engine: engine)
        #expect(problems.isEmpty, "\(problems.map(\.rendered))")
        let outcome = try #require(tests.first.map { RuleTestRunner.run($0, engine: engine) })
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: engine.displayZone))")
    }

    @Test func theStatementsTableListsEveryStatement() throws {
        let rows = try Self.doc().split(separator: "\n").filter { $0.hasPrefix("| `") }
        for statement in RuleTestParser.statements {
            #expect(rows.contains { $0.hasPrefix("| `\(statement)") }, "docs/testing-rules.md does not list '\(statement)'")
        }
    }
}
