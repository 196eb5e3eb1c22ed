import Foundation
import Testing
@testable import SLARules

/// The checker must never crash, and must always return a rule set or at least one error.
@Suite struct FuzzTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed from its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func expectWellBehaved(_ result: CheckResult, _ context: String) {
        if result.ruleSet == nil {
            #expect(result.errorCount > 0, "no rule set and no error: \(context)")
        } else {
            #expect(result.errorCount == 0, "a rule set despite errors: \(context)")
        }
        for diagnostic in result.diagnostics {
            let text = DiagnosticRenderer.text(diagnostic, in: result) // rendering must not crash either
            #expect(!text.isEmpty)
        }
    }

    @Test(arguments: 0..<200)
    func randomBytes(_ seed: Int) {
        var generator = Generator(state: UInt64(seed))
        let count = Int.random(in: 0...600, using: &generator)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = check(String(decoding: bytes, as: UTF8.self))
        Self.expectWellBehaved(result, "seed \(seed)")
        if !bytes.isEmpty { #expect(!result.diagnostics.isEmpty || result.ruleSet != nil) }
    }

    static let vocabulary = [
        "calendar", "hours", "person", "team", "roster", "channel", "template", "policy", "plan", "when", "clock",
        "within", "until", "from", "escalate", "at", "notify", "via", "using", "repeat", "every", "max", "step", "owner",
        "level", "I", "on", "overdue", "kind", "=", "!=", "in", "[", "]", "(", ")", "and", "or", "not", "{", "}", ",", ";",
        "\n", "+", "-", "..", "2h", "30m", "75%", "of", "2026-10-01", "09:00-12:00", "\"张伟\"", "\"unterminated",
        "complaint", "acknowledged", "sms", "assignee", "x", "sms-http", "env", "credential", "working", "days", "3",
        "，", "＝", "#", "@", "respond", "members", "rotate", "daily", "08:30", "timezone", "Asia/Shanghai", "include",
    ]

    @Test(arguments: 0..<300)
    func randomTokenSequences(_ seed: Int) {
        var generator = Generator(state: UInt64(seed) &+ 1_000_000)
        let count = Int.random(in: 1...120, using: &generator)
        let text = (0..<count).map { _ in Self.vocabulary.randomElement(using: &generator)! }.joined(separator: " ")
        Self.expectWellBehaved(check(text, extra: ["x": "2026-10-01 off 假\n"]), "seed \(seed): \(text)")
    }

    /// Damage to the shipped rules, as an editor's slip would do it: a line deleted, text inserted, the file cut.
    @Test(arguments: 0..<60)
    func mutatedShippedRules(_ seed: Int) throws {
        var generator = Generator(state: UInt64(seed) &+ 7_000_000)
        let folder = repositoryRoot.appendingPathComponent("rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sla") }.sorted()
        var files = try names.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
        let victim = Int.random(in: 0..<files.count, using: &generator)
        var lines = files[victim].1.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = Int.random(in: 0..<lines.count, using: &generator)
        switch seed % 3 {
        case 0: lines.remove(at: at)
        case 1: lines.insert((0..<5).map { _ in Self.vocabulary.randomElement(using: &generator)! }.joined(separator: " "), at: at)
        default: lines = Array(lines.prefix(at))
        }
        files[victim].1 = lines.joined(separator: "\n")
        let result = check(files) { path in try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8) }
        Self.expectWellBehaved(result, "seed \(seed)")
    }
}

/// `check` with includes read through a closure (for the shipped calendars).
func check(_ files: [(String, String)], include: @escaping (String) -> String?) -> CheckResult {
    RuleLoader.check(files.map { SourceFile(path: $0.0, text: $0.1) }) { path, _ in include(path).map { SourceFile(path: path, text: $0) } }
}
