import SLAEngine
import SLAFormats
import SLARules
import Testing

/// KPI warnings in `slad test` (issue 14): `expect TIME kpi NAME[@GROUP] NOTICE [notify …]` and
/// `expect TIME kpi NAME[@GROUP] [level L] [value V]`, on virtual time, with the daemon's warning rules.
@Suite struct RuleTestKPITests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person zhang-wei "张伟" { phone "+8613800000001" }
    person li-na "李娜" { phone "+8613800000002" }
    team cs { members zhang-wei; supervisor li-na; manager li-na }
    channel console log {}
    policy fix "维修" {
      when kind = repair
      team cs
      clock done "完成" within 1h until resolved
    }
    kpi done-on-time "完成及时率" {
      measure on-time done
      over 1d
      target at-least 50%
      warn below 80%
      clear at 90%
      notify supervisor via console every 12h
      team cs
    }
    kpi open-by-person "个人未结" {
      measure open
      by assignee
      warn above 1
      notify assignee via console every 2h
    }
    kpi quiet "无通知" {
      measure on-time done
      target at-least 90%
    }
    """

    static let engine: Engine = {
        let result = RuleLoader.check([SourceFile(path: "kpi.sla", text: rules)])
        return try! Engine(rules: result.ruleSet!)
    }()

    func run(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> RuleTestOutcome? {
        let (file, parsed) = RuleTestParser.parse(text, path: "k.slatest")
        #expect(parsed.isEmpty, "\(parsed.map(\.rendered))", sourceLocation: sourceLocation)
        let (tests, problems) = RuleTestCompiler.compile(file, engine: Self.engine)
        #expect(problems.isEmpty, "\(problems.map(\.rendered))", sourceLocation: sourceLocation)
        return tests.first.map { RuleTestRunner.run($0, engine: Self.engine) }
    }

    func headlines(_ text: String) -> [String] {
        let (file, parsed) = RuleTestParser.parse(text, path: "k.slatest")
        let found = parsed.isEmpty ? RuleTestCompiler.compile(file, engine: Self.engine).diagnostics : parsed
        return found.map { String($0.rendered.split(separator: "\n")[0]) }
    }

    /// T1 met at 10:30; T2 runs out at 11:00 (1 of 2: 50%, warning); T3 at 12:00 (1 of 3: breached).
    /// Over a rolling day, all three leave the window by 12:00 the next day, when T4 and T5 (met at
    /// 09:10) alone count: 100%, past the clear line.
    static let story = """
    test "crosses, gets worse, repeats, clears"
      ticket T1 kind=repair at 2025-09-22 09:30
      ticket T2 kind=repair at 2025-09-22 10:00
      ticket T3 kind=repair at 2025-09-22 11:00
      ticket T4 kind=repair at 2025-09-23 09:00
      ticket T5 kind=repair at 2025-09-23 09:00
      event T1 resolved at 2025-09-22 10:30
      event T4 resolved at 2025-09-23 09:10
      event T5 resolved at 2025-09-23 09:10
      run until 2025-09-23 18:00
      expect 2025-09-22 10:30 kpi done-on-time level ok value 100%
      expect 2025-09-22 11:00 kpi done-on-time level warning value 50%
      expect 2025-09-22 11:00 kpi done-on-time warning notify li-na via console
      expect 2025-09-22 12:00 kpi done-on-time level breached value 33.3%
      expect 2025-09-22 12:00 kpi done-on-time breached notify li-na via console
      expect 2025-09-23 00:00 kpi done-on-time repeat-breached notify li-na via console
      expect 2025-09-23 11:00 kpi done-on-time level warning value 66.7%
      expect 2025-09-23 12:00 kpi done-on-time cleared notify li-na via console
    """

    @Test func aKPIWarnsGetsWorseRepeatsAndClearsOnVirtualTime() throws {
        let outcome = try #require(run(Self.story))
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: Self.engine.displayZone))")
        #expect(RuleTestReport.timeline(outcome, zone: Self.engine.displayZone) == [
            "expect 2025-09-22 11:00 kpi done-on-time warning notify li-na via console   # 50%, 2 counted",
            "expect 2025-09-22 12:00 kpi done-on-time breached notify li-na via console   # 33.3%, 3 counted",
            "expect 2025-09-23 00:00 kpi done-on-time repeat-breached notify li-na via console   # 33.3%, 3 counted",
            "expect 2025-09-23 12:00 kpi done-on-time cleared notify li-na via console   # 100%, 2 counted",
        ])
    }

    @Test func anUnexpectedNoticeAndAWrongStateAreReportedAsExpectLines() throws {
        let text = Self.story
            .replacingOccurrences(of: "  expect 2025-09-23 00:00 kpi done-on-time repeat-breached notify li-na via console\n", with: "")
            .replacingOccurrences(of: "level warning value 66.7%", with: "level ok value 66.7%")
        let outcome = try #require(run(text))
        #expect(!outcome.passed)
        let lines = RuleTestReport.failure(outcome, zone: Self.engine.displayZone)
        #expect(lines.contains("    - expect 2025-09-23 11:00 kpi done-on-time level ok value 66.7%"))
        #expect(lines.contains("    + expect 2025-09-23 11:00 kpi done-on-time level warning value 66.7%"))
        let unexpected = try #require(lines.firstIndex(of: "  fired, not expected"))
        #expect(lines[unexpected + 1] == "    + expect 2025-09-23 00:00 kpi done-on-time repeat-breached notify li-na via console   # 33.3%, 3 counted")
    }

    @Test func aTestThatNamesNoKPISeesNoKPINotices() throws {
        // The same tickets, no kpi line: nothing fires (the policy has no escalation steps).
        let text = Self.story.split(separator: "\n").filter { !$0.contains("kpi ") }.joined(separator: "\n")
        let outcome = try #require(run(text))
        #expect(outcome.passed)
        #expect(outcome.fired.isEmpty)
    }

    @Test func aCountPerGroupWarnsEachGroupsOwnPersonAndNotTheTotal() throws {
        let outcome = try #require(run("""
        test "per person"
          ticket T1 kind=repair assignee=zhang-wei at 2025-09-22 09:00
          ticket T2 kind=repair assignee=zhang-wei at 2025-09-22 09:30
          ticket T3 kind=repair assignee=li-na at 2025-09-22 09:30
          event T1 resolved at 2025-09-22 12:15
          event T2 resolved at 2025-09-22 12:30
          run until 2025-09-22 13:00
          expect 2025-09-22 09:30 kpi open-by-person@zhang-wei warning notify zhang-wei via console
          expect 2025-09-22 11:30 kpi open-by-person@zhang-wei repeat-warning notify zhang-wei via console
          expect 2025-09-22 12:15 kpi open-by-person@zhang-wei level ok value 1
          expect 2025-09-22 12:30 kpi open-by-person@zhang-wei cleared notify zhang-wei via console
          expect 2025-09-22 10:00 kpi open-by-person@li-na level ok value 1
          expect 2025-09-22 10:00 kpi open-by-person level warning value 3
        """))
        // The whole company has 3 open, above the line of 1, but the line is per person: no notice for it,
        // and it stands as its worst person.
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: Self.engine.displayZone))")
    }

    @Test(arguments: [
        ("expect 2025-09-22 10:00 kpi done-ontime level ok", "k.slatest:4:31: error: unknown KPI 'done-ontime'"),
        ("expect 2025-09-22 10:00 kpi done-on-time@cs level ok", "k.slatest:4:44: error: KPI 'done-on-time' has no groups: it has no 'by'"),
        ("expect 2025-09-22 10:00 kpi open-by-person@zhangwei level ok",
         "k.slatest:4:46: error: KPI 'open-by-person' is grouped by assignee, and 'zhangwei' is not a person of the rules or this test"),
        ("expect 2025-09-22 10:00 kpi done-on-time warn", "k.slatest:4:44: error: 'warn' is not a KPI notice"),
        ("expect 2025-09-22 10:00 kpi done-on-time level amber", "k.slatest:4:50: error: 'amber' is not a KPI level"),
        ("expect 2025-09-22 10:00 kpi done-on-time value 50", "k.slatest:4:50: error: '50' is not a value of KPI 'done-on-time'"),
        ("expect 2025-09-22 10:00 kpi open-by-person@li-na value 1.5",
         "k.slatest:4:58: error: '1.5' is not a value of KPI 'open-by-person'"),
        ("expect 2025-09-22 10:00 kpi quiet breached", "k.slatest:4:37: error: KPI 'quiet' has no 'notify', so it sends no notices"),
        ("expect 2025-09-22 10:00 kpi open-by-person@li-na breached",
         "k.slatest:4:52: error: KPI 'open-by-person' has no 'target', so it never sends 'breached'"),
        ("expect 2025-09-22 10:00 kpi done-on-time", "k.slatest:4:43: error: expected the notice (warning, breached, repeat-warning, repeat-breached, cleared) or 'level'/'value'"),
        ("expect 2025-09-22 10:00 kpi done-on-time cleared notify li-na via sms", "k.slatest:4:69: error: unknown channel 'sms'"),
    ] as [(String, String)])
    func mistakesInKPILinesAreReportedAtTheirColumn(line: String, first: String) {
        let text = "test \"x\"\n  ticket T1 kind=repair at 2025-09-22 09:00\n  run until 2025-09-22 12:00\n  \(line)\n"
        #expect(headlines(text).first == first, "\(headlines(text))")
    }

    @Test func kpiCannotNameATicket() {
        let text = "test \"x\"\n  ticket kpi kind=repair at 2025-09-22 09:00\n  run until 2025-09-22 12:00\n"
        #expect(headlines(text).first == "k.slatest:2:10: error: 'kpi' cannot name a ticket or incident: 'expect … kpi' is about a KPI")
    }

    @Test(arguments: [("92.5%", KPIUnit.share, 0.9245, true), ("92.5%", .share, 0.9244, false), ("93%", .share, 0.934, true),
                      ("2h30m", .seconds, 9_020, true), ("2h30m", .seconds, 9_040, false), ("4.6", .score, 4.64, true),
                      ("4.6", .score, 4.66, false), ("3", .count, 3, true), ("3", .count, 4, false)] as [(String, KPIUnit, Double, Bool)])
    func aValueHoldsAtThePrecisionWritten(text: String, unit: KPIUnit, observed: Double, holds: Bool) throws {
        let value = try #require(KPIExpectedValue.parse(text, unit: unit))
        #expect(value.holds(for: observed) == holds)
    }
}
