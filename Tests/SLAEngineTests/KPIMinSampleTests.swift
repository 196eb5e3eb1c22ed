import SLAEngine
import SLARules
import Testing

/// `min sample N` (docs/kpi.md, "Levels"): a group whose sample is below N is `no-data` though its value
/// is computed and kept; at N and above it is judged as usual; each group on its own sample; an alarm
/// neither opens, repeats nor clears on a value below the minimum.
@Suite struct KPIMinSampleTests {
    typealias F = KPIFixture
    let calculator: KPICalculator
    let september = KPIPeriod.month(year: 2025, month: 9, zone: shanghai)!
    let now = at("2025-10-01 00:00")

    init() throws {
        calculator = KPICalculator(engine: try engine(officeRules))
    }

    /// Five tickets created in September: four at s1 (three done), one at s2 (open); three return visits
    /// scored 5, 3 and 4.
    var facts: [TicketFacts] {
        [
            F.fact("A", created: "2025-09-10 09:00", site: "s1", resolved: "2025-09-10 19:00", revisited: "2025-09-12 10:00", score: 5),
            F.fact("B", created: "2025-09-15 09:00", site: "s1", resolved: "2025-09-17 09:00", revisited: "2025-09-18 10:00", score: 3),
            F.fact("C", created: "2025-09-20 09:00", site: "s2"),
            F.fact("D", created: "2025-09-22 09:00", site: "s1", closed: "2025-09-23 09:00", revisited: "2025-09-24 10:00", score: 4),
            F.fact("E", created: "2025-09-30 23:00", site: "s1"),
        ]
    }

    let atLeast95 = KPILine(value: 0.95, higherIsBetter: true)
    let atLeast48 = KPILine(value: 4.8, higherIsBetter: true)

    /// Three visits averaging 4.0 against a target of 4.8: judged with a minimum of 3 or less, not with 4.
    @Test(arguments: [(nil, KPILevel.breached), (2, .breached), (3, .breached), (4, .noData), (20, .noData)])
    func belowTheMinimumIsNoDataButKeepsItsValue(_ minimum: Int?, _ level: KPILevel) {
        let kpi = F.kpi("satisfaction", .satisfaction, target: atLeast48, minSample: minimum)
        let overall = calculator.breakdown(of: kpi, over: facts, period: september, now: now).overall
        #expect(overall.sample == 3)
        #expect(overall.value == 4.0)
        #expect(overall.level == level)
        #expect(overall.minSample == minimum)
        #expect(overall.isShortOfSample == (level == .noData))
    }

    @Test func eachGroupIsJudgedOnItsOwnSample() {
        let kpi = F.kpi("resolution", .resolutionRate, by: .site, target: atLeast95, minSample: 2)
        let result = calculator.breakdown(of: kpi, over: facts, period: september, now: now)
        // All five: three done (60 %), breached. s1: A, B, D done of four (75 %), breached. s2: C alone.
        #expect(result.overall.sample == 5 && result.overall.level == .breached)
        #expect(result.groups.map(\.group) == ["s1", "s2"], "the group without enough sample sorts last, as no data does")
        #expect(result.groups.map(\.sample) == [4, 1])
        #expect(result.groups.map(\.value) == [0.75, 0.0])
        #expect(result.groups.map(\.level) == [.breached, .noData])
        #expect(result.groups.map(\.isShortOfSample) == [false, true])
    }

    @Test func theWholeCompanyIsJudgedOnItsWholeSample() {
        let kpi = F.kpi("resolution", .resolutionRate, by: .site, target: atLeast95, minSample: 5)
        let result = calculator.breakdown(of: kpi, over: facts, period: september, now: now)
        #expect(result.overall.level == .breached, "five tickets: exactly the minimum")
        #expect(result.groups.allSatisfy { $0.level == .noData && $0.isShortOfSample })
        let six = calculator.breakdown(of: F.kpi("r", .resolutionRate, target: atLeast95, minSample: 6), over: facts, period: september, now: now)
        #expect(six.overall.level == .noData && six.overall.value == 0.6 && six.overall.isShortOfSample)
    }

    /// No sample at all is plain no data (无数据), not a sample short of its minimum.
    @Test func anEmptyWindowIsNotShortOfSample() {
        let august = KPIPeriod.month(year: 2025, month: 8, zone: shanghai)!
        let kpi = F.kpi("satisfaction", .satisfaction, target: atLeast48, minSample: 3)
        let overall = calculator.breakdown(of: kpi, over: facts, period: august, now: now).overall
        #expect(overall.sample == 0 && overall.value == nil && overall.level == .noData)
        #expect(!overall.isShortOfSample)
    }

    /// A report's weeks carry their sample, so each week's bar is judged against the minimum too.
    @Test func theWeeklySeriesCarriesEachWeeksSample() {
        let kpi = F.kpi("satisfaction", .satisfaction, target: atLeast48, minSample: 2)
        let points = calculator.series(of: kpi, over: facts, periods: september.weeks(zone: shanghai), now: now)
        #expect(points.map(\.sample) == [0, 1, 1, 1, 0])
        #expect(points.map { kpi.level(of: $0.value, sample: $0.sample ?? 0) }.allSatisfy { $0 == .noData })
        #expect(points.compactMap(\.value) == [5, 3, 4])
    }

    /// Through the real level: a group below its minimum never opens an alarm, and an open alarm stays
    /// open and silent (no repeat, no all-clear) while the sample is short.
    @Test func aGroupBelowTheMinimumNeverWarns() {
        var kpi = F.kpi("satisfaction", .satisfaction, window: .month, target: atLeast48, minSample: 3)
        kpi.notice = KPINotice(targets: [.manager], channels: ["ops"], repeatEvery: Duration(seconds: 3600))
        let visits = facts
        func value(_ facts: [TicketFacts], at now: Instant) -> KPIGroupValue {
            calculator.breakdown(of: kpi, over: facts, period: september, now: now).overall
        }
        // A (5) and B (3) by the 20th (facts are taken at an instant: D's later visit is not in them):
        // 4.0 over two visits, below the minimum of three.
        let twoVisits = value(Array(visits.prefix(2)), at: at("2025-09-20 00:00"))
        #expect(twoVisits.value == 4.0 && twoVisits.level == .noData)
        let quiet = KPIAlarm.next(kpi: kpi, value: twoVisits, state: nil, now: at("2025-09-20 00:00"))
        #expect(quiet.state == nil && quiet.notice == nil)
        // D's visit on the 24th makes three: 4.0 is judged, and breaches.
        let opened = KPIAlarm.next(kpi: kpi, value: value(visits, at: now), state: nil, now: now)
        #expect(opened.notice == .entered(.breached))
        // A day later the visits are gone from view (a window with one visit): the alarm stays, silent,
        // past its repeat interval, whatever that one visit scored.
        let oneVisit = value([visits[0]], at: now + 86_400)
        #expect(oneVisit.value == 5.0 && oneVisit.level == .noData)
        let held = KPIAlarm.next(kpi: kpi, value: oneVisit, state: opened.state, now: now + 86_400)
        #expect(held.state == opened.state && held.notice == nil)
    }
}
