import SLARules

extension KPICalculator {
    /// The KPI's whole-company value per local day of its calendar, `days` days ending with the day of
    /// `now`, oldest first: a day's tickets, clocks and visits as the measure counts them over that day
    /// (a resolution by the day's end); for `open`, `overdue` and `backlog` the count at the day's end
    /// (or `now`, for today). One pass over the facts.
    public func trend<C: Collection>(of kpi: KPI, over facts: C, now: Instant, days: Int = 30) -> [KPITrendPoint]
    where C.Element == TicketFacts {
        let compute = { (buffer: UnsafeBufferPointer<TicketFacts>) in self.trend(of: kpi, over: buffer, now: now, days: days) }
        return facts.withContiguousStorageIfAvailable(compute) ?? Array(facts).withUnsafeBufferPointer(compute)
    }

    func trend(of kpi: KPI, over facts: UnsafeBufferPointer<TicketFacts>, now: Instant, days: Int) -> [KPITrendPoint] {
        precondition(days > 0)
        let zone = zone(of: kpi)
        let today = LocalTime.dayNumber(now, offset: zone.offset(at: now))
        let first = today - days + 1
        let periods = (first...today).map { KPIPeriod.day($0, zone: zone) }
        let span = KPIPeriod(start: periods[0].start, end: periods[days - 1].end)
        let pass = KPIPass(kpi: kpi, calculator: self, now: now)
        guard pass.measureHasInstant else {
            let tallies = stateTrend(pass, over: facts, at: periods.map { min($0.end, now) })
            return zip(periods, tallies).map { KPITrendPoint(start: $0.start, end: $0.end, value: $1.value(of: kpi.measure, households: nil).value) }
        }
        var tallies = [KPITally](repeating: KPITally(), count: days)
        // Index by index, so that a fact is read in place rather than copied (its strings retained).
        guard let base = facts.baseAddress else { return periods.map { KPITrendPoint(start: $0.start, end: $0.end, value: nil) } }
        for position in facts.indices where pass.selects(base + position) {
            guard let (at, observation) = pass.observe(base + position), let at, span.contains(at) else { continue }
            let index = LocalTime.dayNumber(at, offset: zone.offset(at: at)) - first
            guard index >= 0, index < days else { continue }
            tallies[index].add(observation, end: periods[index].end, now: now)
        }
        return zip(periods, tallies).map { period, tally in
            KPITrendPoint(start: period.start, end: period.end, value: tally.value(of: kpi.measure, households: totalHouseholds).value)
        }
    }

    /// The KPI's value per period (a report's weeks), each a pass over the facts.
    public func series<C: Collection>(of kpi: KPI, over facts: C, periods: [KPIPeriod], now: Instant) -> [KPITrendPoint]
    where C.Element == TicketFacts {
        periods.map { period in
            let value = breakdown(of: kpi, over: facts, period: period, now: min(now, period.end)).overall.value
            return KPITrendPoint(start: period.start, end: period.end, value: value)
        }
    }

    /// The 看板 tile of one KPI at `now`: its current window, groups and 30-day trend.
    public func tile<C: Collection>(of kpi: KPI, over facts: C, now: Instant) -> KPITile where C.Element == TicketFacts {
        let values = breakdown(of: kpi, over: facts, period: period(of: kpi, at: now), now: now)
        var tile = KPITile(kpi: kpi.name, title: kpi.title ?? kpi.name, unit: kpi.measure.unit, higherIsBetter: kpi.higherIsBetter,
                       target: kpi.target?.value, warn: kpi.warn?.value, period: values.period, overall: values.overall,
                       groups: values.groups, trend: trend(of: kpi, over: facts, now: now))
        tile.grouping = kpi.grouping
        return tile
    }

    /// Every KPI of the rules at `now`, in rule order.
    public func snapshot<C: Collection>(over facts: C, now: Instant) -> KPISnapshot where C.Element == TicketFacts {
        KPISnapshot(computedAt: now, tiles: engine.rules.kpis.map { tile(of: $0, over: facts, now: now) })
    }
}
