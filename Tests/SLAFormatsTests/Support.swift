import Foundation
import SLAEngine
import SLAFormats
import SLARules
import Testing

/// A small rule set for rule-test tests: one policy with a repeating step, a roster, a plan.
let testRules = """
calendar cn { timezone Asia/Shanghai; workdays mon-fri
  holiday 2025-10-01 .. 2025-10-08 "国庆节"
  workday 2025-10-11 "国庆节调休"
}
hours office { calendar cn; 09:00-12:00, 13:30-18:00 }
person zhang-wei "张伟" { phone "+8613800000001" }
person li-na "李娜" { phone "+8613800000002" }
person wang-qiang "王强" { phone "+8613800000003" }
team cs { members zhang-wei; supervisor li-na; manager wang-qiang }
roster oncall { rotate daily at 08:30; starting 2025-09-22; timezone Asia/Shanghai; members zhang-wei, wang-qiang }
channel sms sms-http { url "http://127.0.0.1:9000/send"; token env SMS_TOKEN }
channel console log {}
policy complaint-a "A级投诉" {
  when kind = complaint and grade = A
  team cs
  clock respond "首次响应" within 2h until acknowledged
  clock feedback "处理结果反馈" within 3 working days using office until resolved
  pause while status = waiting-customer
  escalate {
    at respond - 30m notify assignee via sms, console
    at respond notify supervisor via sms
    at respond + 1h notify manager via sms repeat every 1h until acknowledged max 3
    at 75% of feedback notify roster oncall via console
  }
}
plan lift "电梯困人" {
  level II
  team cs
  step comfort "安抚" within 5m owner roster oncall via sms
  step arrive "到场" within 30m owner supervisor via sms
  step report "上报" within 60m owner manager via sms at level I
  on overdue notify manager via sms
}
"""

/// The engine on `testRules`, built once.
let testEngine: Engine = {
    let result = RuleLoader.check([SourceFile(path: "test.sla", text: testRules)])
    return try! Engine(rules: result.ruleSet!)
}()

/// Parses, compiles and runs a test file's text on `testRules`.
func run(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [RuleTestOutcome] {
    let (file, diagnostics) = RuleTestParser.parse(text, path: "t.slatest")
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered).joined(separator: "\n"))", sourceLocation: sourceLocation)
    let (tests, problems) = RuleTestCompiler.compile(file, engine: testEngine)
    #expect(problems.isEmpty, "\(problems.map(\.rendered).joined(separator: "\n"))", sourceLocation: sourceLocation)
    return tests.map { RuleTestRunner.run($0, engine: testEngine) }
}

/// The rendered diagnostics of parsing (and, when parsing succeeds, compiling) a test file's text.
func diagnostics(_ text: String) -> [String] {
    let (file, parsed) = RuleTestParser.parse(text, path: "t.slatest")
    if !parsed.isEmpty { return parsed.map(\.rendered) }
    return RuleTestCompiler.compile(file, engine: testEngine).diagnostics.map(\.rendered)
}

/// The first line of each diagnostic: `file:line:col: error: message`.
func headlines(_ text: String) -> [String] {
    diagnostics(text).map { String($0.split(separator: "\n", maxSplits: 1)[0]) }
}


/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
