import SLAEngine
import SLARules
import Testing

/// The KPI arithmetic over hand-built facts: every measure, grouping, levels and no data (docs/kpi.md).
@Suite struct KPICalculatorTests {
    typealias F = KPIFixture
    let calculator: KPICalculator
    /// September 2025 in Shanghai, seen on 1 October at 00:00.
    let september = KPIPeriod.month(year: 2025, month: 9, zone: shanghai)!
    let now = at("2025-10-01 00:00")

    init() throws {
        calculator = KPICalculator(engine: try engine(officeRules), households: ["s1": 200, "s2": 50])
    }

    /// Repairs with a 24 h `complete` clock, and one complaint.
    var facts: [TicketFacts] {
        [
            // Met within September, at s1.
            F.fact("A", created: "2025-09-10 09:00", site: "s1", assignee: "zhang-wei", team: "engineering", status: "revisited",
                   resolved: "2025-09-10 19:00", revisited: "2025-09-12 10:00", score: 5,
                   clocks: [F.clock(.met, started: "2025-09-10 09:00", stopped: "2025-09-10 19:00", deadline: "2025-09-11 09:00")]),
            // Stopped late, at s1.
            F.fact("B", created: "2025-09-15 09:00", site: "s1", assignee: "zhang-wei", team: "engineering", status: "resolved",
                   resolved: "2025-09-17 09:00",
                   clocks: [F.clock(.breached, started: "2025-09-15 09:00", stopped: "2025-09-17 09:00", deadline: "2025-09-16 09:00")]),
            // Still running past its deadline, a repeat, at s2.
            F.fact("C", created: "2025-09-20 09:00", site: "s2", assignee: "li-na", team: "engineering", repeatOf: "A",
                   clocks: [F.clock(.breached, started: "2025-09-20 09:00", deadline: "2025-09-21 09:00")]),
            // Created in August, met on 1 September, at s2; revisited with a low score.
            F.fact("D", created: "2025-08-31 20:00", site: "s2", team: "engineering", status: "closed",
                   resolved: "2025-09-01 08:00", closed: "2025-09-03 08:00", revisited: "2025-09-02 10:00", score: 3,
                   clocks: [F.clock(.met, started: "2025-08-31 20:00", stopped: "2025-09-01 08:00", deadline: "2025-09-01 20:00")]),
            // Running, its deadline not yet passed: not counted on time either way.
            F.fact("F", created: "2025-09-30 23:00", site: "s1",
                   clocks: [F.clock(.running, started: "2025-09-30 23:00", deadline: "2025-10-01 23:00")]),
            // A complaint, closed without a resolution; revisited with a 4.
            F.fact("E", created: "2025-09-28 10:00", kind: "complaint", site: "s1", team: "customer-service", status: "closed",
                   closed: "2025-09-29 10:00", revisited: "2025-09-29 12:00", score: 4),
        ]
    }

    let repairs = MatchExpression.comparison(field: .kind, isNegated: false, values: ["repair"])

    func value(_ kpi: KPI, by grouping: KPIGrouping? = nil) -> KPIBreakdown {
        calculator.breakdown(of: kpi, over: facts, period: september, now: now, by: grouping)
    }

    @Test func onTimeCountsStoppedClocksAndRunningOnesPastTheirDeadline() {
        let result = value(F.kpi("on-time", .onTime(clock: "complete"), match: repairs, by: .site))
        // A, D met; B stopped late; C ran out and runs on; F's deadline is after now.
        #expect(result.overall.sample == 4)
        #expect(result.overall.count == 2)
        #expect(result.overall.value == 0.5)
        #expect(result.groups.map(\.group) == ["s1", "s2"])
        #expect(result.groups.map(\.sample) == [2, 2])
    }

    @Test func timeToIsANearestRankPercentileOfStoppedClocks() {
        let median = value(F.kpi("median", .timeTo(clock: "complete", percentile: 50, workingTime: false)))
        // Stopped in September: A 10 h, B 48 h, D 12 h.
        #expect(median.overall.sample == 3)
        #expect(median.overall.value == Double(12 * 3600))
        let p90 = value(F.kpi("p90", .timeTo(clock: "complete", percentile: 90, workingTime: false)))
        #expect(p90.overall.value == Double(48 * 3600))
    }

    @Test(arguments: [(50, 5), (90, 9), (100, 10), (10, 1), (1, 1)])
    func nearestRankOfOneToTen(percentile: Int, expected: Int) {
        let facts = (1...10).map { minutes in
            F.fact("T\(minutes)", created: "2025-09-10 09:00", clocks: [
                F.clock(.met, started: "2025-09-10 09:00", stopped: "2025-09-10 09:\(minutes < 10 ? "0" : "")\(minutes)", deadline: "2025-09-11 09:00"),
            ])
        }
        let kpi = F.kpi("p", .timeTo(clock: "complete", percentile: percentile, workingTime: false))
        #expect(calculator.breakdown(of: kpi, over: facts, period: september, now: now).overall.value == Double(expected * 60))
    }

    @Test func resolutionRateCountsTicketsCreatedInThePeriodDoneByItsEnd() {
        let result = value(F.kpi("resolution", .resolutionRate))
        // Created in September: A, B, C, F, E; done: A, B (resolved), E (closed). D was created in August.
        #expect(result.overall.sample == 5)
        #expect(result.overall.count == 3)
        #expect(result.overall.value == 0.6)
        // Judged at the end of a period in the past: B resolved on the 17th is not done by the 16th.
        let early = calculator.breakdown(of: F.kpi("r", .resolutionRate), over: facts,
                                         period: KPIPeriod.days(from: DayDate("2025-09-10")!, through: DayDate("2025-09-16")!, zone: shanghai)!, now: now)
        #expect(early.overall.sample == 2)
        #expect(early.overall.count == 1)
    }

    @Test func satisfactionAndSatisfiedShareUseScoredVisitsInThePeriod() {
        let mean = value(F.kpi("satisfaction", .satisfaction))
        #expect(mean.overall.sample == 3)
        #expect(mean.overall.value == 4.0)   // (5 + 3 + 4) / 3
        #expect(value(F.kpi("share", .satisfiedShare(atLeast: 4))).overall.value == 2.0 / 3.0)
        #expect(value(F.kpi("share5", .satisfiedShare(atLeast: 5))).overall.value == 1.0 / 3.0)
    }

    @Test func repeatAndRevisitRates() {
        let repeats = value(F.kpi("repeat", .repeatRate, match: repairs))
        #expect(repeats.overall.sample == 4)   // A, B, C, F created in September
        #expect(repeats.overall.count == 1)
        let revisits = value(F.kpi("revisit", .revisitRate))
        // Resolved in September: A (revisited), B (not), D (revisited). E was closed, never resolved.
        #expect(revisits.overall.sample == 3)
        #expect(revisits.overall.count == 2)
    }

    @Test func per100HouseholdsPerSiteAndOverall() {
        let result = value(F.kpi("per100", .per100Households, by: .site))
        // Created in September: s1 A, B, F, E (4 of 200 households); s2 C (1 of 50).
        #expect(result.overall.value == 5.0 * 100 / 250)
        #expect(result.groups.first { $0.group == "s1" }?.value == 2.0)
        #expect(result.groups.first { $0.group == "s2" }?.value == 2.0)
        let none = KPICalculator(engine: calculator.engine).breakdown(of: F.kpi("per100", .per100Households), over: facts, period: september, now: now)
        #expect(none.overall.level == .noData)
        #expect(none.overall.value == nil)
    }

    @Test func stateCountsAtNow() {
        // Open at the end of September: C and F (A revisited after resolving, B resolved, D and E closed).
        #expect(value(F.kpi("open", .open)).overall.value == 2)
        #expect(value(F.kpi("overdue", .overdue)).overall.value == 1)   // C: its clock ran out on the 21st
        #expect(value(F.kpi("backlog", .backlog(olderThanSeconds: 3 * 86_400))).overall.value == 1)   // C, ten days old
        // Earlier: on the 16th, B was open and overdue since 09:00.
        let sixteenth = at("2025-09-16 12:00")
        let early = calculator.breakdown(of: F.kpi("overdue", .overdue), over: facts, period: september, now: sixteenth)
        #expect(early.overall.value == 1)
        #expect(early.overall.sample == 3)   // A, B, D existed then
    }

    @Test func groupingByTeamAndAssigneeLeavesTicketsWithoutOneInTheOverallOnly() {
        let byTeam = value(F.kpi("resolution", .resolutionRate, by: .team))
        #expect(Set(byTeam.groups.map(\.group)) == ["engineering", "customer-service"])
        let byAssignee = value(F.kpi("resolution", .resolutionRate), by: .assignee)
        #expect(byAssignee.groups.map(\.group) == ["li-na", "zhang-wei"])   // worst first: li-na 0/1, zhang-wei 2/2
        #expect(byAssignee.groups.map(\.sample).reduce(0, +) == 3)
        #expect(byAssignee.overall.sample == 5)
    }

    @Test(arguments: [(0.90, KPILevel.breached), (0.94, .warning), (0.95, .ok), (0.96, .ok)])
    func levelsFromTargetAndWarning(value: Double, expected: KPILevel) {
        let kpi = F.kpi("k", .onTime(clock: "complete"), target: KPILine(value: 0.93, higherIsBetter: true),
                        warn: KPILine(value: 0.95, higherIsBetter: true))
        #expect(kpi.level(of: value, sample: 10) == expected)
        #expect(kpi.level(of: value, sample: 0) == .noData)
    }

    @Test func levelsForALowerIsBetterMeasureAndWithoutLines() {
        let kpi = F.kpi("k", .repeatRate, target: KPILine(value: 0.05, higherIsBetter: false))
        #expect(kpi.level(of: 0.06, sample: 3) == .breached)
        #expect(kpi.level(of: 0.05, sample: 3) == .ok)
        #expect(F.kpi("k", .open).level(of: 500, sample: 500) == .ok)
    }

    @Test func groupsComeWorstFirst() {
        let kpi = F.kpi("on-time", .onTime(clock: "complete"), by: .assignee, target: KPILine(value: 0.9, higherIsBetter: true))
        let result = value(kpi)
        // zhang-wei 1/2 (breached), li-na 0/1 (breached, worse).
        #expect(result.groups.map(\.group) == ["li-na", "zhang-wei"])
        #expect(result.groups.allSatisfy { $0.level == .breached })
    }

    @Test func noDataWhenNothingFallsInThePeriod() {
        let empty = calculator.breakdown(of: F.kpi("r", .resolutionRate), over: facts,
                                         period: KPIPeriod.month(year: 2025, month: 7, zone: shanghai)!, now: now)
        #expect(empty.overall.level == .noData)
        #expect(empty.overall.value == nil)
        #expect(empty.overall.sample == 0)
        #expect(calculator.breakdown(of: F.kpi("r", .satisfaction), over: [TicketFacts](), period: september, now: now).overall.level == .noData)
    }

    @Test func aCountsLineGroupedByTeamHoldsPerTeamAndTheTotalTakesItsWorstTeam() {
        // Two tickets open now, one per team: a line of 1 per team is not crossed, though the total is 2.
        let line = KPILine(value: 1, higherIsBetter: false)
        let open = calculator.breakdown(of: F.kpi("open", .open, by: .team, warn: line), over: facts, period: september, now: now)
        #expect(open.overall.value == 2)
        #expect(open.groups.allSatisfy { $0.level == .ok })
        #expect(open.overall.level == .ok)
        #expect(KPIAlarm.watched(F.kpi("open", .open, by: .team, warn: line), overall: open.overall, groups: open.groups).map(\.group)
                == open.groups.map(\.group))
        // Without 'by', the total is the value judged; a share grouped by team is judged overall too.
        let whole = calculator.breakdown(of: F.kpi("open", .open, warn: line), over: facts, period: september, now: now)
        #expect(whole.overall.level == .warning)
        let share = F.kpi("resolution", .resolutionRate, by: .team, warn: KPILine(value: 0.5, higherIsBetter: true))
        #expect(KPIAlarm.watched(share, overall: whole.overall, groups: []).count == 1)
    }

    @Test func aRollingWindowIncludesItsLastInstant() {
        let window = KPIWindow.rolling(days: 1).period(at: at("2025-09-22 10:00"), zone: calculator.engine.displayZone)
        #expect(window.contains(at("2025-09-22 10:00")))
        #expect(!window.contains(at("2025-09-21 10:00")))
        #expect(window.contains(at("2025-09-21 10:01")))
    }
}
