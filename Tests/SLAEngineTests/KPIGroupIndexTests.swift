import SLAEngine
import SLARules
import Testing

/// Group keys interned once (`KPIGroupIndex`) count exactly as the names do, and a tile's window and
/// trend taken in one pass equal the separate breakdown and trend (docs/kpi.md, "Speed").
@Suite struct KPIGroupIndexTests {
    typealias F = KPIFixture
    let base: KPICalculatorTests
    let september = KPIPeriod.month(year: 2025, month: 9, zone: shanghai)!
    let now = at("2025-10-01 00:00")
    let households = ["s1": 200, "s2": 50]

    init() throws { base = try KPICalculatorTests() }

    static let measures: [KPIMeasure] = [
        .onTime(clock: "complete"), .timeTo(clock: "complete", percentile: 90, workingTime: false), .resolutionRate, .satisfaction,
        .satisfiedShare(atLeast: 4), .repeatRate, .revisitRate, .per100Households, .open, .overdue, .backlog(olderThanSeconds: 86_400),
    ]

    func calculator(_ groups: KPIGroupIndex = KPIGroupIndex()) -> KPICalculator {
        KPICalculator(engine: base.calculator.engine, households: households, groups: groups)
    }

    @Test(arguments: measures, [KPIGrouping.site, .team, .assignee])
    func internedKeysGroupAsTheNamesDo(measure: KPIMeasure, grouping: KPIGrouping) {
        let kpi = F.kpi("k", measure, by: grouping)
        let byName = calculator().breakdown(of: kpi, over: base.facts, period: september, now: now)
        var index = KPIGroupIndex()
        let interned = base.facts.map { index.interned($0) }
        #expect(calculator(index).breakdown(of: kpi, over: interned, period: september, now: now) == byName)
        // Half of the facts interned, half not: the same group counted both ways is one group.
        let mixed = interned.enumerated().map { $0.offset % 2 == 0 ? $0.element : base.facts[$0.offset] }
        #expect(calculator(index).breakdown(of: kpi, over: mixed, period: september, now: now) == byName)
        // Keys of another index are not read as this one's.
        var other = KPIGroupIndex()
        _ = other.interned(F.fact("X", created: "2025-09-01 00:00", site: "elsewhere", assignee: "nobody", team: "none"))
        #expect(calculator(other).breakdown(of: kpi, over: interned, period: september, now: now) == byName)
    }

    @Test(arguments: measures)
    func aTileInOnePassEqualsTheBreakdownAndTheTrend(measure: KPIMeasure) {
        let kpi = F.kpi("k", measure, window: .rolling(days: 10), by: .site)
        let calculator = calculator()
        let tile = calculator.tile(of: kpi, over: base.facts, now: now)
        let values = calculator.breakdown(of: kpi, over: base.facts, period: calculator.period(of: kpi, at: now), now: now)
        #expect(tile.overall == values.overall)
        #expect(tile.groups == values.groups)
        #expect(tile.trend == calculator.trend(of: kpi, over: base.facts, now: now))
        #expect(tile.trend.compactMap(\.value).count > 0)
    }
}
