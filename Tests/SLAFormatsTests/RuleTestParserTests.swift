import SLAEngine
import SLAFormats
import SLARules
import Testing

@Suite struct RuleTestParserTests {
    let goodFile = """
    # A comment line
    rules ../rules            # the rules folder

    test "A级投诉：超时未响应逐级升级"
      ticket T1 kind=complaint grade=A assignee=zhang-wei building=3栋 unit="1 单元" tags=vip, repeat at 2025-09-22 10:00 by 前台
      event T1 paused waiting-customer at 2025-09-22 10:30 note "住户说“晚点再谈”"
      event T1 resumed at 2025-09-22 11:00
      event T1 assigned li-na at 2025-09-22 11:05 by zhang-wei
      event T1 regraded grade=B priority=urgent at 2025-09-22T11:10:00+08:00
      run until 2025-09-23 00:00
      expect 2025-09-22 11:30 T1 "respond - 30m" notify zhang-wei via sms, console
      expect 2025-09-22 12:00 T1 respond notify li-na via sms and wang-qiang via console
      expect 2025-09-22 12:00:30 T1 respond + 1h
      expect 2025-09-22 13:00 T1 respond notify nobody
      expect 2025-09-22 12:00 T1 clock respond breached deadline 2025-09-22 12:00
      expect 2025-09-22 12:00 T1 clock feedback running
      expect 2025-09-22 12:00 T1 policy none

    test "预案"
      incident I1 lift level I building=7栋 at 2025-09-22 10:00 by liu-yang
      drill D1 lift at 2025-09-22 10:00
      raise I1 to level I at 2025-09-22 10:10 by li-na note "升级"
      confirm I1 arrive at 2025-09-22 10:20 by wang-qiang
      close I1 at 2025-09-22 11:00
      run until 2025-09-22 12:00
      expect 2025-09-22 10:00 I1 assigned comfort notify zhang-wei via sms
      expect 2025-09-22 10:30 I1 step arrive confirmed
    """

    @Test func readsEveryStatement() throws {
        let (file, diagnostics) = RuleTestParser.parse(goodFile, path: "t.slatest")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        #expect(file.rules?.value == "../rules")
        #expect(file.rules?.position == TextPosition(line: 2, column: 7, length: 8))
        #expect(file.tests.map(\.name) == ["A级投诉：超时未响应逐级升级", "预案"])

        let test = file.tests[0]
        #expect(test.position.line == 4)
        #expect(test.until?.value == "2025-09-23 00:00")
        let ticket = try #require(test.tickets.first)
        #expect(ticket.id.value == "T1")
        #expect(ticket.fields == TicketFields(kind: "complaint", grade: "A", building: "3栋", unit: "1 单元", assignee: "zhang-wei", tags: ["vip", "repeat"]))
        #expect(ticket.created.value == "2025-09-22 10:00")
        #expect(ticket.createdBy == "前台")
        #expect(ticket.events.map(\.kind) == [.paused, .resumed, .assigned, .regraded])
        #expect(ticket.events[0].changes == ["status": "waiting-customer"])
        #expect(ticket.events[0].note == "住户说“晚点再谈”")
        #expect(ticket.events[2].changes == ["assignee": "li-na"])
        #expect(ticket.events[2].actor == "zhang-wei")
        #expect(ticket.events[3].changes == ["grade": "B", "priority": "urgent"])
        #expect(ticket.events[3].at.value == "2025-09-22T11:10:00+08:00")

        #expect(test.expectations.count == 7)
        guard case let .notification(words, recipients) = test.expectations[0].claim else { Issue.record("not a notification"); return }
        #expect(words.map(\.value) == ["respond - 30m"])
        #expect(recipients?.count == 1)
        #expect(recipients?[0].people.map(\.value) == ["zhang-wei"])
        #expect(recipients?[0].channels.map(\.value) == ["sms", "console"])
        guard case let .notification(_, groups) = test.expectations[1].claim else { Issue.record("not a notification"); return }
        #expect(groups?.map { $0.people.map(\.value) } == [["li-na"], ["wang-qiang"]])
        guard case let .notification(plain, none) = test.expectations[2].claim else { Issue.record("not a notification"); return }
        #expect(plain.map(\.value) == ["respond", "+", "1h"])
        #expect(none == nil)
        #expect(test.expectations[2].at.value == "2025-09-22 12:00:30")
        guard case let .notification(_, nobody) = test.expectations[3].claim else { Issue.record("not a notification"); return }
        #expect(nobody?.isEmpty == true)
        guard case let .clock(name, state, deadline) = test.expectations[4].claim else { Issue.record("not a clock"); return }
        #expect(name.value == "respond")
        #expect(state?.value == .breached)
        #expect(deadline?.value == "2025-09-22 12:00")
        guard case let .clock(_, running, noDeadline) = test.expectations[5].claim else { Issue.record("not a clock"); return }
        #expect(running?.value == .running)
        #expect(noDeadline == nil)
        guard case let .policy(policy) = test.expectations[6].claim else { Issue.record("not a policy"); return }
        #expect(policy.value == "none")

        let plans = file.tests[1]
        #expect(plans.incidents.map(\.id.value) == ["I1", "D1"])
        #expect(plans.incidents[0].level == .I)
        #expect(plans.incidents[0].building == "7栋")
        #expect(plans.incidents[0].openedBy == "liu-yang")
        #expect(!plans.incidents[0].isDrill)
        #expect(plans.incidents[1].isDrill)
        #expect(plans.incidents[1].level == nil)
        #expect(plans.incidents[0].events.map(\.kind) == [.raised, .confirmed, .closed])
        #expect(plans.incidents[0].events[0].level == .I)
        #expect(plans.incidents[0].events[0].note == "升级")
        #expect(plans.incidents[0].events[1].step?.value == "arrive")
        guard case let .planStep(step, stepState) = plans.expectations[1].claim else { Issue.record("not a step"); return }
        #expect(step.value == "arrive")
        #expect(stepState.value == .confirmed)
    }

    @Test func windowsLineEndingsAndIdeographicSpacesAreFine() {
        let text = "test \"x\"\r\n\u{3000}ticket T1 kind=complaint at 2025-09-22 10:00\r\n  run until 2025-09-22 11:00\r\n"
        let (file, diagnostics) = RuleTestParser.parse(text, path: "t.slatest")
        #expect(diagnostics.isEmpty)
        #expect(file.tests.first?.tickets.count == 1)
    }

    @Test func anUnknownStatementIsReportedWithLineColumnCaretAndHint() {
        #expect(diagnostics("""
        test "x"
          tickt T1 kind=complaint at 2025-09-22 10:00
          ticket T1 kind=complaint at 2025-09-22 10:00
          run until 2025-09-22 12:00
        """) == ["""
        t.slatest:2:3: error: unknown statement 'tickt'
            2 |   tickt T1 kind=complaint at 2025-09-22 10:00
              |   ^~~~~
              = hint: did you mean 'ticket'?
        """])
    }

    @Test func theCaretAllowsForWideCharacters() {
        #expect(diagnostics("""
        test "中文名称" 多余
          ticket T1 kind=complaint at 2025-09-22 10:00
          run until 2025-09-22 12:00
        """) == ["""
        t.slatest:1:13: error: unexpected '多余' at the end of the statement
            1 | test "中文名称" 多余
              |                 ^~~~
        """])
    }

    @Test func fullWidthPunctuationIsReportedOnce() {
        #expect(diagnostics("""
        test "x"
          ticket T1 kind=complaint at 2025-09-22 10:00
          run until 2025-09-22 12:00
          expect 2025-09-22 11:30 T1 respond notify li-na via sms，console
        """) == ["""
        t.slatest:4:58: error: full-width '，' is not part of the test syntax
            4 |   expect 2025-09-22 11:30 T1 respond notify li-na via sms，console
              |                                                          ^~
              = hint: use the ASCII ',' here (full-width text is fine inside quotes)
        """])
    }

    /// Each broken line and the first line of what is reported for it.
    @Test(arguments: [
        ("ticket T1 kind=complaint at 2025-09-22 10:00", "t.slatest:1:1: error: 'ticket' must be inside a test"),
        ("test x", "t.slatest:1:6: error: a test needs a name in double quotes"),
        ("test \"x\nticket", "t.slatest:1:6: error: unterminated string"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\ntest \"x\"",
         "t.slatest:4:6: error: test \"x\" is defined twice"),
        ("test \"x\"\n  ticket T1 grade=A at 2025-09-22 10:00", "t.slatest:2:3: error: a ticket needs kind=…"),
        ("test \"x\"\n  ticket T1 kind=complaint", "t.slatest:2:27: error: a ticket needs 'at TIME': when it was created"),
        ("test \"x\"\n  ticket T1 kind=complaint grade=D at 2025-09-22 10:00\n  run until 2025-09-22 12:00", "t.slatest:2:34: error: 'D' is not a grade"),
        ("test \"x\"\n  ticket T1 kind=complaint grad=A at 2025-09-22 10:00", "t.slatest:2:28: error: unknown ticket field 'grad'"),
        ("test \"x\"\n  ticket T1 kind=complaint status=open at 2025-09-22 10:00", "t.slatest:2:28: error: unknown ticket field 'status'"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 25:00", "t.slatest:2:42: error: '25:00' is not a time of day"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-02-30 10:00", "t.slatest:2:31: error: '2025-02-30' is not a real date"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22", "t.slatest:2:41: error: a time needs a time of day after the date"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  ticket T1 kind=repair at 2025-09-22 10:00",
         "t.slatest:3:10: error: 'T1' is already used in this test"),
        ("test \"x\"\n  event T1 acknowledged at 2025-09-22 10:00", "t.slatest:2:9: error: unknown ticket 'T1'"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  event T1 acknowleged at 2025-09-22 10:00",
         "t.slatest:3:12: error: unknown event 'acknowleged'"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  event T1 paused waiting at 2025-09-22 10:00",
         "t.slatest:3:19: error: 'waiting' is not a pause status"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  event T1 assigned at 2025-09-22 10:00",
         "t.slatest:3:12: error: 'assigned' needs the new assignee"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  event T1 regraded at 2025-09-22 10:00",
         "t.slatest:3:12: error: 'regraded' needs the fields it changes"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  event T1 resolved grade=A at 2025-09-22 10:00",
         "t.slatest:3:21: error: 'resolved' takes no 'grade='"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  event T1 resolved at 2025-09-22 10:00 at 2025-09-22 11:00",
         "t.slatest:3:41: error: 'at' is given twice"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  event T1 resolved",
         "t.slatest:3:20: error: an event needs 'at TIME'"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  confirm T1 arrive at 2025-09-22 10:00",
         "t.slatest:3:11: error: 'T1' is a ticket"),
        ("test \"x\"\n  incident I1 lift level IV at 2025-09-22 10:00", "t.slatest:2:26: error: 'IV' is not a level"),
        ("test \"x\"\n  incident I1 lift at 2025-09-22 10:00\n  raise I1 to II at 2025-09-22 10:05",
         "t.slatest:3:15: error: expected 'level', found 'II'"),
        ("test \"x\"\n  incident I1 lift at 2025-09-22 10:00\n  event I1 acknowledged at 2025-09-22 10:05",
         "t.slatest:3:9: error: 'I1' is an incident"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00", "t.slatest:1:1: error: test \"x\" has no 'run until'"),
        ("test \"x\"\n  run until 2025-09-22 12:00", "t.slatest:1:1: error: test \"x\" has no ticket or incident"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  run until 2025-09-22 13:00",
         "t.slatest:4:3: error: 'run until' is given twice"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run 2025-09-22 12:00",
         "t.slatest:3:7: error: expected 'until', found '2025-09-22'"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 T2 respond",
         "t.slatest:4:27: error: unknown ticket or incident 'T2'"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 T1 notify li-na via sms",
         "t.slatest:4:30: error: expected the step that fires, such as respond or \"respond - 30m\""),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 T1 respond notify li-na",
         "t.slatest:4:50: error: expected 'via' here"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 T1 clock respond",
         "t.slatest:4:43: error: say what to expect of the clock: a state, a deadline, or both"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 T1 clock respond late",
         "t.slatest:4:44: error: 'late' is not a clock state"),
        ("test \"x\"\n  ticket T1 kind=complaint at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 T1 step arrive open",
         "t.slatest:4:35: error: 'T1' is a ticket; steps with states belong to incidents"),
        ("test \"x\"\n  incident I1 lift at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 I1 arrive notify li-na via sms",
         "t.slatest:4:30: error: an incident's notification is 'assigned STEP' or 'overdue STEP'"),
        ("test \"x\"\n  incident I1 lift at 2025-09-22 10:00\n  run until 2025-09-22 12:00\n  expect 2025-09-22 11:00 I1 clock respond met",
         "t.slatest:4:36: error: 'I1' is an incident; clocks belong to tickets"),
        ("rules a\nrules b\ntest \"x\"", "t.slatest:2:1: error: 'rules' is given twice"),
        ("", "t.slatest:1:1: error: no tests in this file"),
    ] as [(String, String)])
    func brokenLinesAreReported(text: String, first: String) {
        #expect(headlines(text).contains(first), "\(diagnostics(text))")
    }

    @Test func everyProblemInAFileIsReportedInLineOrderWithoutCascades() {
        let text = """
        test "x"
          ticket T1 kind=complant at 2025-09-22 10:00
          event T1 acknowleged at 2025-09-22 11:00
          event T1 resolved at 2025-09-22 12:00
          expect 2025-09-22 11:30 T1 respond
        test "y"
          ticket T1 kind=complaint at 2025-09-22 10:00
          run until 2025-09-22 12:00
          expect 2025-09-22 11:30 T1 respond notify li-na via
        """
        // The broken ticket's events and expectations are not reported as unknown, and the test is not
        // said to have no ticket; its missing 'run until' is its own problem.
        #expect(headlines(text) == [
            "t.slatest:1:1: error: test \"x\" has no 'run until'",
            "t.slatest:2:18: error: 'complant' is not a kind",
            "t.slatest:3:12: error: unknown event 'acknowleged'",
            "t.slatest:9:54: error: expected a channel's name here",
        ])
    }
}
