import Foundation
import SLAEngine
import SLARules
import Testing

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Checks in-memory rules; fails the test when they have errors.
func engine(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Engine {
    let result = RuleLoader.check([SourceFile(path: "test.sla", text: text)])
    guard let rules = result.ruleSet else {
        let rendered = result.diagnostics.map { DiagnosticRenderer.text($0, in: result) }.joined(separator: "\n")
        Issue.record("rules have errors:\n\(rendered)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
    return try Engine(rules: rules)
}

/// The engine on the shipped `rules/` folder, loaded once.
let shippedEngine: Engine = {
    let folder = repositoryRoot.appendingPathComponent("rules")
    let names = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
        .filter { $0.hasSuffix(".sla") }.sorted()
    let sources = names.map { SourceFile(path: $0, text: (try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) ?? "") }
    let result = RuleLoader.check(sources) { path, _ in
        (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
    }
    return try! Engine(rules: result.ruleSet!)
}()

let shanghai = ZoneTable(identifier: "Asia/Shanghai")!

/// An instant from Shanghai local time: `at("2025-09-26 17:00")`.
func at(_ text: String) -> Instant {
    guard let instant = LocalTime.parse(text, zone: shanghai) else { fatalError("bad test time \(text)") }
    return instant
}

/// Local Shanghai time of an instant, for readable expectations.
func local(_ instant: Instant?) -> String {
    instant.map { shanghai.formatShort($0) } ?? "nil"
}

/// Calendar and hours most engine tests use.
let officeRules = """
calendar cn { timezone Asia/Shanghai; workdays mon-fri
  holiday 2025-10-01 .. 2025-10-08 "国庆节、中秋节"
  workday 2025-09-28 "国庆节调休"
  workday 2025-10-11 "国庆节调休"
}
hours office { calendar cn; 09:00-12:00, 13:30-18:00 }
person zhang-wei "张伟" { phone "+8613800000001" }
person li-na "李娜" { phone "+8613800000002" }
person wang-qiang "王强" { phone "+8613800000003" }
team cs { members zhang-wei; supervisor li-na; manager wang-qiang }
channel sms sms-http { url "http://127.0.0.1:9000/send"; token env SMS_TOKEN }
channel console log {}
"""
