import SLARules

/// A KPI's whole-company tallies per local day of its calendar, `days` days ending with the day of `now`
/// (the 看板's 30-day trend): what a day's tickets, clocks and visits count as the measure counts them
/// over that day. Filled in the same pass as the KPI's current window (`KPICalculator.tile`).
struct KPIDays {
    let zone: ZoneTable
    /// The local day number of the first day.
    let first: Int
    let periods: [KPIPeriod]
    let span: KPIPeriod
    private(set) var tallies: [KPITally]

    /// With no days, it counts nothing.
    init(zone: ZoneTable, now: Instant, days: Int) {
        precondition(days >= 0)
        self.zone = zone
        let today = LocalTime.dayNumber(now, offset: zone.offset(at: now))
        first = today - days + 1
        periods = (first..<today + 1).map { KPIPeriod.day($0, zone: zone) }
        span = KPIPeriod(start: periods.first?.start ?? now, end: periods.last?.end ?? now)
        tallies = [KPITally](repeating: KPITally(), count: days)
    }

    /// Each day's end, or `now` for today: the instants the state measures are counted at.
    func ends(now: Instant) -> [Instant] { periods.map { min($0.end, now) } }

    /// Counts an observation placed at `at` in its day, if that is one of the days.
    @inline(__always)
    mutating func add(_ observation: KPIObservation, at: Instant, now: Instant) {
        guard span.contains(at) else { return }
        let index = LocalTime.dayNumber(at, offset: zone.offset(at: at)) - first
        guard index >= 0, index < tallies.count else { return }
        tallies[index].add(observation, end: periods[index].end, now: now)
    }

    /// The days' values, oldest first.
    func points(_ measure: KPIMeasure, households: Int) -> [KPITrendPoint] {
        zip(periods, tallies).map { period, tally in
            KPITrendPoint(start: period.start, end: period.end, value: tally.value(of: measure, households: households).value)
        }
    }
}
