import Foundation
@testable import SLARules

/// Checks in-memory rule files; includes resolve against the same dictionary by name.
func check(_ files: [(String, String)], extra: [String: String] = [:]) -> CheckResult {
    let sources = files.map { SourceFile(path: $0.0, text: $0.1) }
    return RuleLoader.check(sources) { path, _ in extra[path].map { SourceFile(path: path, text: $0) } }
}

func check(_ text: String, extra: [String: String] = [:]) -> CheckResult {
    check([("test.sla", text)], extra: extra)
}

/// The codes of a result's diagnostics, in order.
func codes(_ result: CheckResult) -> [String] {
    result.diagnostics.map(\.code.rawValue)
}

/// Minimal definitions most construct tests need, so each test shows only what it is about.
let baseRules = """
calendar cn { timezone Asia/Shanghai; workdays mon-fri }
hours office { calendar cn; 09:00-12:00, 13:30-18:00 }
person zhang-wei "张伟" { phone "+8613800000001"; email "z@example.com" }
person li-na "李娜" { phone "+8613800000002" }
team cs { members zhang-wei; supervisor li-na; manager li-na }
channel sms sms-http { url "http://127.0.0.1:9000/send"; token env SMS_TOKEN }
channel console log {}
"""

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Renders every diagnostic and the summary, as `slad check` prints them.
func render(_ result: CheckResult, sourceCount: Int) -> String {
    var out = result.diagnostics.map { DiagnosticRenderer.text($0, in: result) + "\n" }.joined(separator: "\n")
    if !out.isEmpty { out += "\n" }
    return out + DiagnosticRenderer.summary(result, sourceCount: sourceCount) + "\n"
}

/// Reads a folder of rule files (and `.days` includes) the way the CLI does, with paths relative to it.
func checkFolder(_ folder: URL) throws -> (CheckResult, Int) {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sla") }.sorted()
    let sources = try names.map { SourceFile(path: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    let result = RuleLoader.check(sources) { path, _ in
        (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
    }
    return (result, sources.count)
}
