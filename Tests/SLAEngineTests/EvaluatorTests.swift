import SLAEngine
import SLARules
import Testing

@Suite struct EvaluatorTests {
    let engine: Engine

    init() throws {
        engine = try SLAEngineTests.engine(officeRules + """
        policy complaint-a "A级投诉" {
          when kind = complaint and grade = A
          team cs
          clock respond "首次响应" within 2h until acknowledged
          clock feedback "处理结果反馈" within 3 working days using office until resolved
          clock revisit "回访" within 7d from resolved until revisited
          pause while status = waiting-customer
          escalate {
            at respond - 30m notify assignee via sms
            at respond notify supervisor via sms, console
            at respond + 1h notify manager via sms repeat every 1h until acknowledged max 4
            at 75% of feedback notify assignee via sms
            at feedback notify manager via console urgent
            at revisit notify supervisor via console
          }
        }
        policy complaint-c "C级投诉" {
          when kind = complaint
          team cs
          clock respond within 24h until acknowledged
          escalate { at respond notify supervisor via console }
        }
        quiet national-day "国庆值守" {
          policies complaint-a
          dates 2025-10-01 .. 2025-10-07
        }
        """)
    }

    func complaint(_ grade: String = "A", at created: String = "2025-09-22 10:00") -> Ticket {
        Ticket(id: "T1", fields: TicketFields(kind: "complaint", grade: grade, assignee: "zhang-wei"), createdAt: at(created))
    }

    func event(_ kind: EventKind, _ time: String, _ changes: [String: String]? = nil) -> TicketEventRecord {
        TicketEventRecord(kind: kind, at: at(time), actor: "tester", changes: changes)
    }

    @Test func freshTicketHasRunningClocksAndNextDue() {
        let result = engine.evaluate(complaint(), at: at("2025-09-22 10:05"))
        #expect(result.policy == "complaint-a")
        #expect(result.clocks.map(\.state) == [.running, .running, .pending])
        #expect(local(result.clocks[0].deadline) == "2025-09-22 12:00")
        #expect(local(result.clocks[1].deadline) == "2025-09-25 10:00")
        #expect(result.due.isEmpty)
        #expect(local(result.nextDue) == "2025-09-22 11:30")
    }

    @Test func stepsFallDueInOrderAndNeverTwice() {
        let ticket = complaint()
        var fired: [Firing] = []
        var instant = at("2025-09-22 10:00")
        var log: [String] = []
        for _ in 0..<20 {
            let result = engine.evaluate(ticket, at: instant, fired: fired)
            for step in result.due {
                log.append("\(local(step.dueAt)) \(step.firing.step) #\(step.firing.repeatIndex)")
                fired.append(step.firing)
            }
            guard let next = result.nextDue, next < at("2025-09-23 00:00") else { break }
            instant = next
        }
        #expect(log == [
            "2025-09-22 11:30 respond - 30m #0",
            "2025-09-22 12:00 respond #0",
            "2025-09-22 13:00 respond + 1h #0",
            "2025-09-22 14:00 respond + 1h #1",
            "2025-09-22 15:00 respond + 1h #2",
            "2025-09-22 16:00 respond + 1h #3",
        ])
        // Evaluating again at the same instant with everything recorded gives nothing new.
        #expect(engine.evaluate(ticket, at: instant, fired: fired).due.isEmpty)
    }

    @Test func missedRepeatsFireOnceMarkedLate() {
        let result = engine.evaluate(complaint(), at: at("2025-09-22 15:30"))
        let steps = result.due.map { "\($0.firing.step) #\($0.firing.repeatIndex) late \($0.lateness / 60)m missed \($0.missedRepeats)" }
        #expect(steps == [
            "respond - 30m #0 late 240m missed 0",
            "respond #0 late 210m missed 0",
            "respond + 1h #2 late 30m missed 2",
        ])
        #expect(result.due.allSatisfy { $0.isLate })
        #expect(local(result.nextDue) == "2025-09-22 16:00")
    }

    @Test func acknowledgementStopsItsClockAndItsSteps() {
        let ticket = complaint().appending(event(.acknowledged, "2025-09-22 11:00"))
        let result = engine.evaluate(ticket, at: at("2025-09-22 15:00"))
        #expect(result.clocks[0].state == .met)
        #expect(result.clocks[0].consumed == 3600)
        #expect(result.due.isEmpty)
        #expect(local(result.nextDue) == "2025-09-24 11:52")   // 75 % of 22.5 working hours: 16 h 52.5 min
    }

    @Test func pauseStopsTheClockAndMovesTheDeadline() {
        let ticket = complaint()
            .appending(event(.paused, "2025-09-22 10:30", ["status": "waiting-customer"]))
            .appending(event(.resumed, "2025-09-22 11:30"))
        let during = engine.evaluate(ticket, at: at("2025-09-22 11:00"))
        #expect(during.clocks[0].state == .paused)
        #expect(during.status == "waiting-customer")
        #expect(during.clocks[0].consumed == 1800)
        let after = engine.evaluate(ticket, at: at("2025-09-22 11:45"))
        #expect(after.clocks[0].state == .running)
        #expect(local(after.clocks[0].deadline) == "2025-09-22 13:00")
        #expect(after.due.map(\.firing.step) == [])
        #expect(local(after.nextDue) == "2025-09-22 12:30")
    }

    @Test func aPauseReasonThePolicyDoesNotAllowDoesNotStopTheClock() {
        let ticket = complaint().appending(event(.paused, "2025-09-22 10:30", ["status": "waiting-parts"]))
        let result = engine.evaluate(ticket, at: at("2025-09-22 11:00"))
        #expect(result.clocks[0].state == .running)
    }

    @Test func breachAndStopLateIsBreached() {
        let ticket = complaint().appending(event(.acknowledged, "2025-09-22 12:10"))
        let result = engine.evaluate(ticket, at: at("2025-09-22 13:00"))
        #expect(result.clocks[0].state == .breached)
        #expect(result.clocks[0].isStopped)
        #expect(local(result.clocks[0].deadline) == "2025-09-22 12:00")
    }

    @Test func reopeningResumesTheResolveClockAndEscalatesAfresh() {
        let fired = [Firing(policy: "complaint-a", step: "feedback", cycle: 0, repeatIndex: 0),
                     Firing(policy: "complaint-a", step: "75% of feedback", cycle: 0, repeatIndex: 0)]
        let ticket = complaint()
            .appending(event(.acknowledged, "2025-09-22 10:30"))
            .appending(event(.resolved, "2025-09-26 10:00"))   // after the feedback deadline: breached
            .appending(event(.reopened, "2025-09-26 11:00"))
        let result = engine.evaluate(ticket, at: at("2025-09-26 11:00"), fired: fired)
        #expect(result.cycle == 1)
        #expect(result.clocks[1].state == .breached)
        #expect(!result.clocks[1].isStopped)
        #expect(result.clocks[2].state == .pending)   // the return visit waits for the next resolution
        // Cycle 0's firings do not count in cycle 1: the reopened ticket's ladder runs again, late.
        #expect(result.due.map(\.firing) == [Firing(policy: "complaint-a", step: "75% of feedback", cycle: 1, repeatIndex: 0),
                                             Firing(policy: "complaint-a", step: "feedback", cycle: 1, repeatIndex: 0)])
        #expect(result.due.allSatisfy { $0.isLate })
    }

    @Test func regradingChangesThePolicyFromTheStart() {
        let ticket = complaint("C").appending(event(.regraded, "2025-09-22 14:00", ["grade": "A"]))
        let before = engine.evaluate(ticket, at: at("2025-09-22 13:00"))
        #expect(before.policy == "complaint-c")
        #expect(before.due.isEmpty)
        let after = engine.evaluate(ticket, at: at("2025-09-22 14:00"))
        #expect(after.policy == "complaint-a")
        #expect(after.clocks[0].state == .breached)
        #expect(after.due.map(\.firing.step) == ["respond - 30m", "respond", "respond + 1h"])
    }

    @Test func quietWindowHoldsNonUrgentStepsAndReleasesThemOnce() {
        let ticket = complaint(at: "2025-09-30 16:00")
        let during = engine.evaluate(ticket, at: at("2025-10-02 09:00"))
        #expect(during.due.isEmpty)
        #expect(during.held.map(\.firing.step) == ["respond - 30m", "respond", "respond + 1h"])
        #expect(local(during.nextDue) == "2025-10-08 00:00")
        let released = engine.evaluate(ticket, at: at("2025-10-08 00:00"))
        #expect(released.due.map(\.firing.step) == ["respond - 30m", "respond", "respond + 1h"])
        #expect(released.due.allSatisfy { $0.wasHeld == false && $0.isLate })
    }

    @Test func urgentStepsAreNotHeld() {
        // Created the day before the holiday: the 3-working-day feedback clock runs out on 9 October, after
        // the window; a ticket whose feedback deadline falls inside it is escalated at once.
        let ticket = complaint(at: "2025-09-25 10:00").appending(event(.acknowledged, "2025-09-25 10:10"))
        let result = engine.evaluate(ticket, at: at("2025-10-02 09:00"))
        #expect(result.due.map(\.firing.step) == ["feedback"])
        #expect(result.held.map(\.firing.step) == ["75% of feedback"])
    }

    @Test func evaluationIsDeterministic() {
        let ticket = complaint().appending(event(.paused, "2025-09-22 10:30", ["status": "waiting-customer"]))
        let first = engine.evaluate(ticket, at: at("2025-09-23 10:00"))
        let second = engine.evaluate(ticket, at: at("2025-09-23 10:00"))
        #expect(first == second)
    }

    @Test func eventsAfterNowAreIgnoredButComeDue() {
        let ticket = complaint().appending(event(.acknowledged, "2025-09-22 11:00"))
        let result = engine.evaluate(ticket, at: at("2025-09-22 10:30"))
        #expect(result.clocks[0].state == .running)
        #expect(local(result.nextDue) == "2025-09-22 11:00")
        let notYetCreated = engine.evaluate(complaint(at: "2025-09-22 12:00"), at: at("2025-09-22 10:00"))
        #expect(notYetCreated.clocks.allSatisfy { $0.state == .pending })
        #expect(local(notYetCreated.nextDue) == "2025-09-22 12:00")
    }

    @Test func anAcknowledgementTimeoutIsAClockFromAcknowledged() throws {
        let engine = try SLAEngineTests.engine(officeRules + """
        policy repair { when kind = repair; team cs
          clock respond within 30m until acknowledged
          clock fix "到场修复" within 4h from acknowledged until resolved
          escalate { at respond notify supervisor via console
                     at fix notify manager via sms, console } }
        """)
        let ticket = Ticket(id: "R", fields: TicketFields(kind: "repair"), createdAt: at("2025-09-22 10:00"))
            .appending(TicketEventRecord(kind: .acknowledged, at: at("2025-09-22 10:20")))
        let before = engine.evaluate(ticket, at: at("2025-09-22 14:19"))
        #expect(before.due.isEmpty)
        #expect(local(before.nextDue) == "2025-09-22 14:20")
        let after = engine.evaluate(ticket, at: at("2025-09-22 14:20"))
        #expect(after.due.map(\.firing.step) == ["fix"])
        let resolved = ticket.appending(TicketEventRecord(kind: .resolved, at: at("2025-09-22 14:00")))
        #expect(engine.evaluate(resolved, at: at("2025-09-22 15:00")).due.isEmpty)
    }

    @Test func closingStopsEveryClockButTheReturnVisit() {
        let ticket = complaint()
            .appending(event(.acknowledged, "2025-09-22 10:30"))
            .appending(event(.resolved, "2025-09-23 10:00"))
            .appending(event(.closed, "2025-09-23 11:00"))
        let result = engine.evaluate(ticket, at: at("2025-09-30 10:00"))
        #expect(result.clocks.map(\.state) == [.met, .met, .breached])   // respond, feedback stopped; revisit ran out
        #expect(result.due.map(\.firing.step) == ["revisit"])
    }

    @Test func aPauseReasonNeedsThePolicysPauseCondition() throws {
        let engine = try SLAEngineTests.engine(officeRules + """
        policy p { when kind = complaint; team cs; clock respond within 2h until acknowledged
          escalate { at respond notify supervisor via console } }
        """)
        let waiting = complaint().appending(event(.paused, "2025-09-22 10:30", ["status": "waiting-customer"]))
        #expect(engine.evaluate(waiting, at: at("2025-09-22 11:00")).clocks[0].state == .running)
        let plain = complaint().appending(event(.paused, "2025-09-22 10:30"))
        #expect(engine.evaluate(plain, at: at("2025-09-22 11:00")).clocks[0].state == .paused)
    }
}
