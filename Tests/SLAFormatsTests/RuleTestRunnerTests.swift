import SLAEngine
import SLAFormats
import SLARules
import Testing

/// The runner on `testRules` (see Support.swift): 2025-09-22 is a Monday; the roster `oncall` has
/// zhang-wei on 22 and 24 September (from 08:30), wang-qiang on 23 and 25 September.
@Suite struct RuleTestRunnerTests {
    static let ladder = """
    test "ladder"
      ticket T1 kind=complaint grade=A assignee=zhang-wei at 2025-09-22 10:00
      run until 2025-09-24 12:00
      expect 2025-09-22 11:30 T1 "respond - 30m" notify zhang-wei via sms, console
      expect 2025-09-22 12:00 T1 respond notify li-na via sms
      expect 2025-09-22 13:00 T1 "respond + 1h" notify wang-qiang via sms
      expect 2025-09-22 14:00 T1 "respond + 1h" notify wang-qiang via sms
      expect 2025-09-22 15:00 T1 "respond + 1h" notify wang-qiang via sms
      expect 2025-09-24 11:52:30 T1 "75% of feedback" notify zhang-wei via console
      expect 2025-09-22 12:00 T1 clock respond breached deadline 2025-09-22 12:00
      expect 2025-09-22 10:00 T1 policy complaint-a
    """

    @Test func aLadderThatMatchesPasses() throws {
        let outcome = try #require(run(Self.ladder).first)
        #expect(outcome.passed)
        #expect(outcome.fired.count == 6)
        // Each firing once: no two with the same step and repeat.
        #expect(Set(outcome.fired.map { "\($0.label) \($0.repeatIndex)" }).count == outcome.fired.count)
        #expect(RuleTestReport.timeline(outcome, zone: testEngine.displayZone) == [
            "expect 2025-09-22 11:30 T1 \"respond - 30m\" notify zhang-wei via sms, console",
            "expect 2025-09-22 12:00 T1 respond notify li-na via sms",
            "expect 2025-09-22 13:00 T1 \"respond + 1h\" notify wang-qiang via sms",
            "expect 2025-09-22 14:00 T1 \"respond + 1h\" notify wang-qiang via sms   # repeat 2",
            "expect 2025-09-22 15:00 T1 \"respond + 1h\" notify wang-qiang via sms   # repeat 3",
            "expect 2025-09-24 11:52:30 T1 \"75% of feedback\" notify zhang-wei via console",
        ])
    }

    @Test func recipientsCompareAsASetAndMayBeLeftOut() throws {
        let text = Self.ladder
            .replacingOccurrences(of: "notify zhang-wei via sms, console", with: "notify zhang-wei via console, sms")
            .replacingOccurrences(of: "\"75% of feedback\" notify zhang-wei via console", with: "75% of feedback")
        #expect(try #require(run(text).first).passed)
    }

    @Test func aFailureShowsMissingUnexpectedAndDifferingLines() throws {
        let text = Self.ladder
            .replacingOccurrences(of: "  expect 2025-09-22 11:30 T1 \"respond - 30m\" notify zhang-wei via sms, console\n", with: "")
            .replacingOccurrences(of: "12:00 T1 respond notify li-na via sms", with: "12:00 T1 respond notify li-na via sms, console")
            .replacingOccurrences(of: "15:00 T1 \"respond + 1h\"", with: "15:30 T1 \"respond + 1h\"")
            .replacingOccurrences(of: "clock respond breached", with: "clock respond running")
            + "\n  expect 2025-09-23 10:00 T1 respond notify li-na via sms\n"
        let outcome = try #require(run(text).first)
        #expect(!outcome.passed)
        #expect(RuleTestReport.failure(outcome, zone: testEngine.displayZone) == [
            "FAIL t.slatest:1: test \"ladder\"",
            "  t.slatest:4: fired with other recipients",
            "    - expect 2025-09-22 12:00 T1 respond notify li-na via sms, console",
            "    + expect 2025-09-22 12:00 T1 respond notify li-na via sms",
            "  t.slatest:7: fired at another time",
            "    - expect 2025-09-22 15:30 T1 \"respond + 1h\" notify wang-qiang via sms",
            "    + expect 2025-09-22 15:00 T1 \"respond + 1h\" notify wang-qiang via sms   # repeat 3",
            "  t.slatest:9: state differs",
            "    - expect 2025-09-22 12:00 T1 clock respond running deadline 2025-09-22 12:00",
            "    + expect 2025-09-22 12:00 T1 clock respond breached deadline 2025-09-22 12:00",
            "  t.slatest:11: expected, did not fire",
            "    - expect 2025-09-23 10:00 T1 respond notify li-na via sms",
            "  fired, not expected",
            "    + expect 2025-09-22 11:30 T1 \"respond - 30m\" notify zhang-wei via sms, console",
            "  fired, in full:",
            "    expect 2025-09-22 11:30 T1 \"respond - 30m\" notify zhang-wei via sms, console",
            "    expect 2025-09-22 12:00 T1 respond notify li-na via sms",
            "    expect 2025-09-22 13:00 T1 \"respond + 1h\" notify wang-qiang via sms",
            "    expect 2025-09-22 14:00 T1 \"respond + 1h\" notify wang-qiang via sms   # repeat 2",
            "    expect 2025-09-22 15:00 T1 \"respond + 1h\" notify wang-qiang via sms   # repeat 3",
            "    expect 2025-09-24 11:52:30 T1 \"75% of feedback\" notify zhang-wei via console",
        ])
    }

    @Test func anEventAtADeadlineHappensBeforeTheStepIsDue() throws {
        let outcome = try #require(run("""
        test "acknowledged at 12:00 sharp"
          ticket T1 kind=complaint grade=A assignee=zhang-wei at 2025-09-22 10:00
          event T1 acknowledged at 2025-09-22 12:00
          run until 2025-09-22 18:00
          expect 2025-09-22 11:30 T1 "respond - 30m" notify zhang-wei via sms, console
          expect 2025-09-22 12:00 T1 clock respond met
        """).first)
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: testEngine.displayZone))")
    }

    @Test func aRegradeFiresTheStepsAlreadyDueAtOnceAndSaysSo() throws {
        let outcome = try #require(run("""
        test "graded A at 13:00"
          ticket T1 kind=complaint assignee=zhang-wei at 2025-09-22 10:00
          event T1 regraded grade=A at 2025-09-22 13:00
          event T1 acknowledged at 2025-09-22 13:30
          run until 2025-09-22 18:00
          expect 2025-09-22 10:00 T1 policy none
          expect 2025-09-22 13:00 T1 policy complaint-a
        """).first)
        #expect(RuleTestReport.timeline(outcome, zone: testEngine.displayZone) == [
            "expect 2025-09-22 13:00 T1 \"respond - 30m\" notify zhang-wei via sms, console   # due 2025-09-22 11:30, 1h30m late",
            "expect 2025-09-22 13:00 T1 respond notify li-na via sms   # due 2025-09-22 12:00, 1h late",
            "expect 2025-09-22 13:00 T1 \"respond + 1h\" notify wang-qiang via sms",
        ])
    }

    @Test func aStepThatReachesNobodySaysWhyAndWhoWasToldInstead() throws {
        let outcome = try #require(run("""
        test "no assignee"
          ticket T1 kind=complaint grade=A at 2025-09-22 10:00
          event T1 acknowledged at 2025-09-22 11:45
          run until 2025-09-22 12:00
        """).first)
        #expect(RuleTestReport.timeline(outcome, zone: testEngine.displayZone) == [
            "expect 2025-09-22 11:30 T1 \"respond - 30m\" notify li-na via sms, console   # nobody else reached: told the supervisor; unreached: assignee: the ticket has no assignee",
        ])
    }

    @Test func incidentsFireAssignedAndOverdueNotices() throws {
        let outcome = try #require(run("""
        test "lift at level II, raised to I"
          incident I1 lift at 2025-09-23 09:00
          confirm I1 comfort at 2025-09-23 09:04
          raise I1 to level I at 2025-09-23 09:10
          confirm I1 report at 2025-09-23 09:50
          run until 2025-09-23 12:00
          expect 2025-09-23 09:00 I1 assigned comfort notify wang-qiang via sms
          expect 2025-09-23 09:00 I1 assigned arrive notify li-na via sms
          expect 2025-09-23 09:10 I1 assigned report notify wang-qiang via sms
          expect 2025-09-23 09:30 I1 overdue arrive notify wang-qiang via sms
          expect 2025-09-23 09:05 I1 step comfort confirmed
          expect 2025-09-23 09:30 I1 step arrive overdue
        """).first)
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: testEngine.displayZone))")
    }

    @Test func aStepNotInTheIncidentAtItsLevelIsReported() throws {
        let outcome = try #require(run("""
        test "report is level I only"
          incident I1 lift at 2025-09-23 09:00
          close I1 at 2025-09-23 09:01
          run until 2025-09-23 12:00
          expect 2025-09-23 09:00 I1 assigned comfort notify wang-qiang via sms
          expect 2025-09-23 09:00 I1 assigned arrive notify li-na via sms
          expect 2025-09-23 09:00 I1 step report open
        """).first)
        #expect(RuleTestReport.failure(outcome, zone: testEngine.displayZone) == [
            "FAIL t.slatest:1: test \"report is level I only\"",
            "  t.slatest:7: state differs",
            "    - expect 2025-09-23 09:00 I1 step report open",
            "    + expect 2025-09-23 09:00 I1 not part of the incident at level II",
        ])
    }

    @Test func aRunThatNeverEndsIsStopped() throws {
        let rules = RuleLoader.check([SourceFile(path: "r.sla", text: """
        person li-na { phone "+8613800000002" }
        channel console log {}
        policy nag { clock respond within 1h until acknowledged
          escalate { at respond notify person li-na via console repeat every 1m } }
        """)])
        let engine = try Engine(rules: try #require(rules.ruleSet))
        let (file, _) = RuleTestParser.parse("""
        test "a year of reminders"
          ticket T1 kind=repair at 2025-01-01 00:00
          run until 2026-01-01 00:00
        """, path: "t.slatest")
        let test = try #require(RuleTestCompiler.compile(file, engine: engine).tests.first)
        let outcome = RuleTestRunner.run(test, engine: engine, maximumSteps: 1000)
        #expect(!outcome.passed)
        // The first evaluation, at creation, fires nothing; each of the 999 after it fires one repeat,
        // from 01:00 to 17:38. The run stops before 17:39.
        #expect(outcome.fired.count == 999)
        #expect(outcome.runaway.map { RuleTestReport.time($0, zone: engine.displayZone) } == "2025-01-01 17:39")
        #expect(RuleTestReport.failure(outcome, zone: engine.displayZone).last
                == "  the run stopped at 2025-01-01 17:39 after 1000 evaluations; is a step repeating without end?")
    }

    @Test func namesAreCheckedAgainstTheRules() {
        #expect(headlines("""
        test "names"
          ticket T1 kind=complaint grade=A at 2025-09-22 10:00
          event T1 acknowledged at 2025-09-22 09:00
          incident I1 lfit at 2025-09-22 10:00
          incident I2 lift at 2025-09-22 10:00
          confirm I2 arive at 2025-09-22 10:10
          run until 2025-09-22 18:00
          expect 2025-09-22 11:30 T1 respond-30m notify zhang-wei via sms, console
          expect 2025-09-22 11:30 T1 "respond - 20m"
          expect 2025-09-22 12:00 T1 respond notify li-nn via sms, smss
          expect 2025-09-22 12:00 T1 clock respnd breached
          expect 2025-09-22 12:00 T1 policy complaint-b
          expect 2025-09-22 19:00 T1 policy none
          expect 2025-09-22 09:00 I2 overdue comfort
          expect 2025-09-22 10:30 I2 step reprot open
        """) == [
            "t.slatest:3:28: error: this is before T1 is created (2025-09-22 10:00)",
            "t.slatest:4:15: error: unknown plan 'lfit'",
            "t.slatest:6:14: error: plan 'lift' has no step 'arive'",
            "t.slatest:9:30: error: no policy has a step 'respond - 20m'",
            "t.slatest:10:45: error: unknown person 'li-nn'",
            "t.slatest:10:60: error: unknown channel 'smss'",
            "t.slatest:11:36: error: no policy has a clock 'respnd'",
            "t.slatest:12:37: error: unknown policy 'complaint-b'",
            "t.slatest:13:10: error: this is after 'run until' (2025-09-22 18:00), so the test never gets there",
            "t.slatest:14:10: error: this is before I2 begins",
            "t.slatest:15:35: error: plan 'lift' has no step 'reprot'",
        ])
        #expect(diagnostics("""
        test "hint"
          ticket T1 kind=complaint grade=A at 2025-09-22 10:00
          run until 2025-09-22 18:00
          expect 2025-09-22 11:30 T1 "respond - 20m"
        """) == ["""
        t.slatest:4:30: error: no policy has a step 'respond - 20m'
            4 |   expect 2025-09-22 11:30 T1 "respond - 20m"
              |                              ^~~~~~~~~~~~~~~
              = hint: did you mean 'respond - 30m'?
        """])
    }
}
