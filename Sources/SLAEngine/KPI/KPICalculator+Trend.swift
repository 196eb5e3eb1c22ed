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

    func trend(of kpi: KPI, over facts: UnsafeBufferPointer<TicketFacts>, now: Instant, days count: Int) -> [KPITrendPoint] {
        let pass = KPIPass(kpi: kpi, calculator: self, now: now)
        var days = KPIDays(zone: zone(of: kpi), now: now, days: count)
        guard pass.measureHasInstant else {
            return statePoints(pass.measure, days: days, tallies: stateTrend(pass, over: facts, at: days.ends(now: now)))
        }
        // Index by index, so that a fact is read in place rather than copied (its strings retained).
        if let base = facts.baseAddress {
            for position in facts.indices where pass.selects(base + position) {
                guard let (at, observation) = pass.observe(base + position), let at else { continue }
                days.add(observation, at: at, now: now)
            }
        }
        return days.points(kpi.measure, households: totalHouseholds)
    }

    /// The state measures' trend points: the count at each day's end (or `now`, for today).
    func statePoints(_ measure: KPIMeasure, days: KPIDays, tallies: [KPITally]) -> [KPITrendPoint] {
        zip(days.periods, tallies).map {
            KPITrendPoint(start: $0.start, end: $0.end, value: $1.value(of: measure, households: nil).value)
        }
    }

    /// The KPI's value per period (a report's weeks), each a pass over the facts.
    public func series<C: Collection>(of kpi: KPI, over facts: C, periods: [KPIPeriod], now: Instant) -> [KPITrendPoint]
    where C.Element == TicketFacts {
        periods.map { period in
            let overall = breakdown(of: kpi, over: facts, period: period, now: min(now, period.end)).overall
            return KPITrendPoint(start: period.start, end: period.end, value: overall.value, sample: overall.sample)
        }
    }

    /// The 看板 tile of one KPI at `now`: its current window, groups and 30-day trend.
    public func tile<C: Collection>(of kpi: KPI, over facts: C, now: Instant) -> KPITile where C.Element == TicketFacts {
        let compute = { (buffer: UnsafeBufferPointer<TicketFacts>) in self.tile(of: kpi, over: buffer, now: now) }
        return facts.withContiguousStorageIfAvailable(compute) ?? Array(facts).withUnsafeBufferPointer(compute)
    }

    /// The tile in one pass over the facts: the window and the trend's days together.
    func tile(of kpi: KPI, over facts: UnsafeBufferPointer<TicketFacts>, now: Instant) -> KPITile {
        let hasInstant = KPIPass.hasInstant(kpi.measure)
        let counted = KPIDays(zone: zone(of: kpi), now: now, days: 30)
        var days = KPIDays(zone: counted.zone, now: now, days: hasInstant ? 30 : 0)
        var stateDays = KPIStateDays(measure: kpi.measure, instants: hasInstant ? [] : counted.ends(now: now))
        let values = breakdown(of: kpi, over: facts, period: period(of: kpi, at: now), now: now, by: kpi.grouping,
                               days: &days, stateDays: &stateDays)
        let trend = hasInstant ? days.points(kpi.measure, households: totalHouseholds)
                               : statePoints(kpi.measure, days: counted, tallies: stateDays.tallies)
        var tile = KPITile(kpi: kpi.name, title: kpi.title ?? kpi.name, unit: kpi.measure.unit, higherIsBetter: kpi.higherIsBetter,
                       target: kpi.target?.value, warn: kpi.warn?.value, period: values.period, overall: values.overall,
                       groups: values.groups, trend: trend)
        tile.grouping = kpi.grouping
        return tile
    }

    /// Every KPI of the rules at `now`, in rule order. The facts are gathered into one array at most once.
    public func snapshot<C: Collection>(over facts: C, now: Instant) -> KPISnapshot where C.Element == TicketFacts {
        let compute = { (buffer: UnsafeBufferPointer<TicketFacts>) in
            KPISnapshot(computedAt: now, tiles: self.engine.rules.kpis.map { self.tile(of: $0, over: buffer, now: now) })
        }
        return facts.withContiguousStorageIfAvailable(compute) ?? Array(facts).withUnsafeBufferPointer(compute)
    }
}
