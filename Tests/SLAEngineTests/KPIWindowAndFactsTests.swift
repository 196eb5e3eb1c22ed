import SLAEngine
import SLARules
import Testing

/// KPI windows in the calendar's zone, working time across 调休, the daily trend, and facts from a history.
@Suite struct KPIWindowAndFactsTests {
    typealias F = KPIFixture

    static let rules = officeRules + """

    calendar la { timezone America/Los_Angeles; workdays mon-fri }
    hours la-office { calendar la; 08:00-17:00 }
    policy repairs "报修" {
      when kind = repair
      team cs
      clock complete "维修完成" within 24h until resolved
      clock revisit "回访" within 7d from resolved until revisited
    }
    """

    let calculator: KPICalculator

    init() throws {
        calculator = KPICalculator(engine: try engine(Self.rules))
    }

    func window(_ window: KPIWindow, _ now: String, calendar: String? = "cn") -> String {
        var kpi = F.kpi("k", .open, window: window)
        kpi.calendar = calendar
        let period = calculator.period(of: kpi, at: at(now))
        let zone = calculator.zone(of: kpi)
        return "\(zone.formatShort(period.start)) – \(zone.formatShort(period.end))"
    }

    @Test func calendarWindowsAreAlignedInTheCalendarsZone() {
        #expect(window(.month, "2025-10-01 00:00") == "2025-10-01 00:00 – 2025-11-01 00:00")
        #expect(window(.month, "2025-12-31 23:59") == "2025-12-01 00:00 – 2026-01-01 00:00")
        #expect(window(.month, "2026-02-10 12:00") == "2026-02-01 00:00 – 2026-03-01 00:00")
        // ISO weeks, Monday first: Wednesday, Sunday night, Monday midnight.
        #expect(window(.week, "2025-09-24 15:00") == "2025-09-22 00:00 – 2025-09-29 00:00")
        #expect(window(.week, "2025-09-28 23:59") == "2025-09-22 00:00 – 2025-09-29 00:00")
        #expect(window(.week, "2025-09-29 00:00") == "2025-09-29 00:00 – 2025-10-06 00:00")
        #expect(window(.rolling(days: 7), "2025-09-24 15:00") == "2025-09-17 15:00 – 2025-09-24 15:00")
        // In Los Angeles 1 October 00:00 Shanghai is still 30 September (09:00 the day before).
        #expect(window(.month, "2025-10-01 00:00", calendar: "la") == "2025-09-01 00:00 – 2025-10-01 00:00")
        // Monday 3 November 12:00 in Shanghai is Sunday 20:00 in Los Angeles, the day daylight saving ended.
        #expect(window(.week, "2025-11-03 12:00", calendar: "la") == "2025-10-27 00:00 – 2025-11-03 00:00")
    }

    @Test func weeksOfAPeriodAreCutToIt() {
        let september = KPIPeriod.month(year: 2025, month: 9, zone: shanghai)!
        let weeks = september.weeks(zone: shanghai)
        #expect(weeks.count == 5)
        #expect(local(weeks[0].start) == "2025-09-01 00:00")   // a Monday
        #expect(local(weeks[4].start) == "2025-09-29 00:00")
        #expect(local(weeks[4].end) == "2025-10-01 00:00")
    }

    @Test func workingTimeSkipsTheWeekendButCountsTheMakeUpDay() {
        // Friday 26 September 17:00 to Sunday 28 September 10:00, a make-up working day (调休): 1 h + 1 h.
        let weekend = F.fact("W", created: "2025-09-26 17:00", clocks: [
            F.clock(.met, started: "2025-09-26 17:00", stopped: "2025-09-28 10:00", deadline: "2025-09-29 17:00"),
        ])
        // 30 September 17:00 to 9 October 09:30, across National Day: 1 h + 30 min.
        let holiday = F.fact("H", created: "2025-09-30 17:00", clocks: [
            F.clock(.met, started: "2025-09-30 17:00", stopped: "2025-10-09 09:30", deadline: "2025-10-10 17:00"),
        ])
        var kpi = F.kpi("k", .timeTo(clock: "complete", percentile: 50, workingTime: true))
        kpi.calendar = "cn"
        let period = KPIPeriod.days(from: DayDate("2025-09-01")!, through: DayDate("2025-10-31")!, zone: shanghai)!
        let now = at("2025-11-01 00:00")
        #expect(calculator.breakdown(of: kpi, over: [weekend], period: period, now: now).overall.value == 7200)
        #expect(calculator.breakdown(of: kpi, over: [holiday], period: period, now: now).overall.value == 5400)
        let wall = F.kpi("k", .timeTo(clock: "complete", percentile: 50, workingTime: false))
        #expect(calculator.breakdown(of: wall, over: [weekend], period: period, now: now).overall.value == Double(41 * 3600))
    }

    @Test func dailyTrendHasThirtyPointsEndingToday() {
        let facts = [
            F.fact("A", created: "2025-09-10 09:00", resolved: "2025-09-10 19:00"),
            F.fact("B", created: "2025-09-15 09:00", resolved: "2025-09-17 09:00"),
            F.fact("C", created: "2025-09-15 10:00"),
        ]
        let now = at("2025-10-01 08:00")
        let resolution = calculator.trend(of: F.kpi("r", .resolutionRate), over: facts, now: now)
        #expect(resolution.count == 30)
        #expect(local(resolution[0].start) == "2025-09-02 00:00")
        #expect(local(resolution[29].start) == "2025-10-01 00:00")
        #expect(resolution[8].value == 1.0)     // 10 September: A, resolved that day
        #expect(resolution[13].value == 0.0)    // 15 September: B resolved on the 17th, C never
        #expect(resolution[14].value == nil)    // 16 September: nothing created
        let open = calculator.trend(of: F.kpi("o", .open), over: facts, now: now)
        #expect(open[13].value == 2)            // end of the 15th: B and C
        #expect(open[15].value == 1)            // end of the 17th: C
        #expect(open[0].value == nil)           // 2 September: no ticket existed yet
    }

    @Test func factsComeFromTheHistoryUpToTheEvaluation() throws {
        var ticket = Ticket(id: "T1", fields: TicketFields(kind: "repair", site: "s1"), createdAt: at("2025-09-10 09:00"))
        ticket.repeatOf = "T0"
        ticket.append(TicketEventRecord(kind: .assigned, at: at("2025-09-10 09:10"), changes: ["assignee": "li-na"]))
        ticket.append(TicketEventRecord(kind: .resolved, at: at("2025-09-10 12:00")))
        ticket.append(TicketEventRecord(kind: .reopened, at: at("2025-09-10 15:00")))
        ticket.append(TicketEventRecord(kind: .resolved, at: at("2025-09-11 10:00")))
        ticket.append(TicketEventRecord(kind: .revisited, at: at("2025-09-12 10:00"), note: "满意", score: 5))
        ticket.append(TicketEventRecord(kind: .revisited, at: at("2025-09-13 10:00"), score: 4))
        ticket.append(TicketEventRecord(kind: .closed, at: at("2025-09-14 10:00")))
        ticket.append(TicketEventRecord(kind: .reopened, at: at("2025-10-14 10:00")))   // after the evaluation
        let engine = calculator.engine
        let facts = TicketFacts.make(ticket: ticket, at: at("2025-10-01 00:00"), engine: engine)
        #expect(facts.policy == "repairs")
        #expect(facts.team == "cs")
        #expect(facts.fields.assignee == "li-na")
        #expect(facts.status == "closed")
        #expect(local(facts.resolvedAt) == "2025-09-11 10:00")
        #expect(local(facts.closedAt) == "2025-09-14 10:00")
        #expect(local(facts.revisitedAt) == "2025-09-13 10:00")
        #expect(facts.score == 4)
        #expect(facts.repeatOf == "T0")
        let complete = try #require(facts.clock("complete"))
        #expect(complete.state == .met)
        #expect(local(complete.stoppedAt) == "2025-09-11 10:00")
        #expect(facts.clock("revisit")?.state == .met)
        #expect(!facts.isOpen(at: at("2025-10-01 00:00")))
        #expect(facts.isOpen(at: at("2025-09-10 16:00")))   // reopened then: only the last cycle's resolution counts
    }
}
