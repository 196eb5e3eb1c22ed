import SLAEngine
import SLAFormats
import SLARules
import Testing

/// The lifecycle order (docs/engine.md, "Clocks"): a clock or a repeat that waits `until X` is met by X or
/// by any later state of assigned < acknowledged < assessed < resolved < revisited; `closed` stops every
/// clock but the return visit's and meets only `until closed`. Run through rule tests, the same code as
/// `slad test`, for every pair of (the event a clock waits for, the event that happens).
@Suite struct LifecycleOrderTests {
    /// The order as the issue states it, written out here rather than read from the engine.
    static let order = ["assigned", "acknowledged", "assessed", "resolved", "revisited"]
    static let waits = order + ["closed"]
    static let happenings = order + ["closed"]

    /// One policy per event waited for (chosen by the ticket's category): one clock, 1 hour from creation,
    /// until that event, and a step at its deadline.
    static let rules: String = {
        var text = """
        person li-na { phone "+8613800000002" }
        channel console log {}

        """
        for wait in waits {
            text += """
            policy until-\(wait) {
              when kind = repair and category = \(wait)
              clock \(wait) within 1h until \(wait)
              escalate { at \(wait) notify person li-na via console }
            }

            """
        }
        return text
    }()

    static let engine: Engine = {
        let result = RuleLoader.check([SourceFile(path: "lifecycle.sla", text: rules)])
        return try! Engine(rules: result.ruleSet!)
    }()

    static func runOwn(_ text: String) throws -> RuleTestOutcome {
        let (file, diagnostics) = RuleTestParser.parse(text, path: "t.slatest")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        let (tests, problems) = RuleTestCompiler.compile(file, engine: engine)
        #expect(problems.isEmpty, "\(problems.map(\.rendered))")
        return RuleTestRunner.run(try #require(tests.first), engine: engine)
    }

    /// Whether `event` meets a wait for `wait`, from the table in docs/engine.md.
    static func meets(_ event: String, _ wait: String) -> Bool {
        if event == wait { return true }
        guard let reached = order.firstIndex(of: event), let wanted = order.firstIndex(of: wait) else { return false }
        return reached > wanted
    }

    static let pairs: [(wait: String, event: String)] = waits.flatMap { wait in happenings.map { (wait, $0) } }

    @Test(arguments: pairs)
    func aWaitIsMetByItsEventOrALaterState(wait: String, event: String) throws {
        let history = event == "assigned" ? "assigned li-na" : event
        // Met: stopped at 10:30 within its hour, nothing fires. Not met: still running at 11:00, its step
        // fires then. `closed` stops every clock but the return visit's without meeting it.
        let stops = Self.meets(event, wait) || (event == "closed" && wait != "revisited")
        let state = stops ? "met" : "breached"
        var text = """
        test "until \(wait), then \(event)"
          ticket T1 kind=repair category=\(wait) at 2025-09-22 10:00
          event T1 \(history) at 2025-09-22 10:30
          run until 2025-09-22 12:00
          expect 2025-09-22 11:30 T1 clock \(wait) \(state)
        """
        if !stops { text += "\n  expect 2025-09-22 11:00 T1 \(wait) notify li-na via console" }
        let outcome = try Self.runOwn(text)
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: Self.engine.displayZone).joined(separator: "\n"))")
        // Nothing else fired for this clock's step.
        #expect(outcome.fired.filter { $0.label == wait }.count == (stops ? 0 : 1))
    }

    /// The case: a clock `respond … until acknowledged` with a repeating manager step; the ticket is
    /// resolved without an acknowledgement. Before the order existed the respond step and its repeats fired
    /// on (14:30, 16:30, 17:30, 18:30 in the report); now nothing fires after the resolution.
    @Test func aResolvedTicketIsNotEscalatedAsUnanswered() throws {
        let outcome = try #require(run("""
        test "resolved without an acknowledgement"
          ticket T1 kind=complaint grade=A assignee=zhang-wei at 2025-09-22 09:00
          event T1 resolved at 2025-09-22 10:00 by zhang-wei
          run until 2025-09-22 20:00
          expect 2025-09-22 10:00 T1 clock respond met
        """).first)
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: testEngine.displayZone).joined(separator: "\n"))")
        #expect(outcome.fired.isEmpty, "\(RuleTestReport.timeline(outcome, zone: testEngine.displayZone))")
    }

    /// A repeat `until acknowledged` stops at a later state even while its clock has run out.
    @Test func aRepeatStopsAtALaterState() throws {
        let outcome = try #require(run("""
        test "assessed after the deadline"
          ticket T1 kind=complaint grade=A assignee=zhang-wei at 2025-09-22 10:00
          event T1 assessed at 2025-09-22 13:30
          run until 2025-09-22 18:00
          expect 2025-09-22 11:30 T1 "respond - 30m" notify zhang-wei via sms, console
          expect 2025-09-22 12:00 T1 respond notify li-na via sms
          expect 2025-09-22 13:00 T1 "respond + 1h" notify wang-qiang via sms
          expect 2025-09-22 13:30 T1 clock respond breached
        """).first)
        #expect(outcome.passed, "\(RuleTestReport.failure(outcome, zone: testEngine.displayZone).joined(separator: "\n"))")
    }

    /// A reopening takes back a resolution, but not the response the resolution gave: the respond clock met
    /// by `resolved` stays met, the resolution clock runs again.
    @Test func aReopeningKeepsTheResponseAResolutionGave() {
        var ticket = Ticket(id: "T1", fields: TicketFields(kind: "complaint", grade: "A", assignee: "zhang-wei"),
                            createdAt: instant("2025-09-22 09:00"))
        ticket.append(TicketEventRecord(kind: .resolved, at: instant("2025-09-22 10:00")))
        ticket.append(TicketEventRecord(kind: .reopened, at: instant("2025-09-22 10:30")))
        let evaluation = testEngine.evaluate(ticket, at: instant("2025-09-22 20:00"))
        let respond = evaluation.clocks.first { $0.name == "respond" }
        #expect(respond?.state == .met)
        #expect(respond?.stoppedBy == .resolved)
        #expect(evaluation.clocks.first { $0.name == "feedback" }?.state == .running)
        #expect(evaluation.due.allSatisfy { !$0.firing.step.hasPrefix("respond") })
        // The replay (slad simulate) agrees with evaluation.
        let replayed = testEngine.replay(ticket, until: instant("2025-09-22 20:00"))
        #expect(replayed.fired.allSatisfy { !$0.step.firing.step.hasPrefix("respond") })
        #expect(replayed.final.clocks.first { $0.name == "respond" }?.state == .met)
    }

    func instant(_ text: String) -> Instant { LocalTime.parse(text, zone: testEngine.displayZone)! }
}
