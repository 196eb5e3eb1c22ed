import SLAEngine
import SLARules
import Testing

/// The warning rules: once on crossing, again on getting worse, repeats at the set interval, the
/// all-clear past the clear line, and no flapping for a value hovering on the line.
struct KPIAlarmTests {
    let t0 = Instant(seconds: 1_790_000_000)

    func kpi(target: Double? = 0.93, warn: Double? = 0.95, clearAt: Double? = nil, every: Int? = 86_400) -> KPI {
        var kpi = KPI(name: "repair-24h", title: "维修24小时完成率", measure: .onTime(clock: "complete"),
                      location: SourceRange(file: 0, start: 0, end: 0))
        kpi.target = target.map { KPILine(value: $0, higherIsBetter: true) }
        kpi.warn = warn.map { KPILine(value: $0, higherIsBetter: true) }
        kpi.clearAt = clearAt
        kpi.notice = KPINotice(targets: [.manager], channels: ["ops"], repeatEvery: every.map { Duration(seconds: $0) })
        return kpi
    }

    func value(_ observed: Double?, sample: Int = 100) -> KPIGroupValue {
        KPIGroupValue(kpi: "repair-24h", group: "cuihu", value: observed, sample: observed == nil ? 0 : sample,
                      level: observed == nil ? .noData : .ok)
    }

    /// Runs a series of (seconds after t0, value) through the rules; returns the notices in order.
    func run(_ kpi: KPI, _ series: [(Int, Double?)]) -> [KPIAlarmNotice] {
        var state: KPIAlarmState?
        var sequence = 0
        var notices: [KPIAlarmNotice] = []
        for (offset, observed) in series {
            let next = KPIAlarm.next(kpi: kpi, value: value(observed), state: state, previousSequence: sequence, now: t0 + offset)
            if let opened = next.state { sequence = opened.sequence }
            state = next.state
            if let notice = next.notice { notices.append(notice) }
        }
        return notices
    }

    @Test func crossingWarnsOnceRepeatsAndClears() {
        let notices = run(kpi(), [(0, 0.97), (60, 0.94), (120, 0.94), (3600, 0.945), (86_460, 0.94), (90_000, 0.955), (90_060, 0.961)])
        #expect(notices == [.entered(.warning), .repeated(.warning), .cleared])
    }

    @Test func gettingWorseIsToldOnceAndTheLevelNeverStepsDownBeforeTheAllClear() {
        let notices = run(kpi(), [(0, 0.94), (60, 0.90), (120, 0.94), (180, 0.91), (86_460, 0.94)])
        #expect(notices == [.entered(.warning), .entered(.breached), .repeated(.breached)])
    }

    @Test func aValueHoveringOnTheLineDoesNotFlap() {
        // Warn below 95 %; the all-clear needs 96 % (one point past the line).
        let hovering = (0..<20).map { ($0 * 60, $0 % 2 == 0 ? 0.949 : 0.951) }
        #expect(run(kpi(every: nil), hovering) == [.entered(.warning)])
    }

    @Test func clearAtMovesTheAllClearLine() {
        #expect(run(kpi(clearAt: 0.98, every: nil), [(0, 0.94), (60, 0.97), (120, 0.979)]) == [.entered(.warning)])
        #expect(run(kpi(clearAt: 0.98, every: nil), [(0, 0.94), (60, 0.98)]) == [.entered(.warning), .cleared])
    }

    @Test func noDataNeitherOpensNorClosesNorRepeats() {
        #expect(run(kpi(), [(0, nil), (60, 0.90), (86_460, nil), (200_000, nil)]) == [.entered(.breached)])
    }

    @Test func aLowerIsBetterKPIWarnsAbove() {
        var rate = kpi(target: nil, warn: nil, every: nil)
        rate.measure = .repeatRate
        rate.warn = KPILine(value: 0.05, higherIsBetter: false)
        #expect(KPIAlarm.level(kpi: rate, 0.06) == .warning && KPIAlarm.level(kpi: rate, 0.04) == .ok)
        #expect(run(rate, [(0, 0.06), (60, 0.045), (120, 0.039)]) == [.entered(.warning), .cleared])
    }

    @Test func eachAlarmHasItsOwnSequence() {
        let kpi = kpi(every: nil)
        let first = KPIAlarm.next(kpi: kpi, value: value(0.90), state: nil, previousSequence: 0, now: t0)
        #expect(first.state?.sequence == 1)
        let cleared = KPIAlarm.next(kpi: kpi, value: value(0.99), state: first.state, now: t0 + 60)
        #expect(cleared.state == nil && cleared.notice == .cleared)
        let second = KPIAlarm.next(kpi: kpi, value: value(0.90), state: nil, previousSequence: 1, now: t0 + 120)
        #expect(second.state?.sequence == 2 && second.notice == .entered(.breached))
    }
}
