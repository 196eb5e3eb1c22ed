import SLARules

/// One KPI's values over one period: the whole company and, when grouped, each site, team or assignee.
public struct KPIBreakdown: Sendable, Hashable {
    public let period: KPIPeriod
    public let overall: KPIGroupValue
    /// Worst first (`KPI.worstFirst`); empty when not grouped. Tickets without the grouping's field (no
    /// site, no team, unassigned) count in `overall` only.
    public let groups: [KPIGroupValue]

    public init(period: KPIPeriod, overall: KPIGroupValue, groups: [KPIGroupValue]) {
        self.period = period
        self.overall = overall
        self.groups = groups
    }
}

/// The KPI arithmetic (docs/kpi.md defines each measure): a pure function of the rules, the tickets'
/// facts, a period and `now`, shared by the daemon's 看板, `slad report --tickets` and the rule tests.
/// One pass over the facts per KPI and period; nothing is allocated per ticket except the durations
/// the percentiles sort.
public struct KPICalculator: Sendable {
    public let engine: Engine
    /// Households per declared site that declares them.
    let households: [String: Int]
    let totalHouseholds: Int
    /// Each calendar's zone (a calendar no hours use is not in the engine's zones).
    let calendarZones: [String: ZoneTable]
    /// The calendar a KPI without `calendar` uses: the first declared.
    let defaultCalendar: String?

    /// The index the facts' group keys were interned in (`KPIGroupIndex.interned`); facts without keys
    /// of this index are grouped by their names.
    let groups: KPIGroupIndex

    /// `households` stands in for the rules' `site … { households N }` (tests, a report's override).
    /// `groups`: the index the facts were interned in, if any.
    public init(engine: Engine, households: [String: Int]? = nil, groups: KPIGroupIndex = KPIGroupIndex()) {
        self.engine = engine
        self.groups = groups
        var fromRules: [String: Int] = [:]
        for site in engine.rules.sites.values { if let count = site.households { fromRules[site.name] = count } }
        self.households = households ?? fromRules
        totalHouseholds = self.households.values.reduce(0, +)
        calendarZones = engine.rules.calendars.compactMapValues { engine.zone($0.timeZone) ?? ZoneTable(identifier: $0.timeZone) }
        defaultCalendar = engine.rules.calendars.values.min {
            ($0.location.file, $0.location.start) < ($1.location.file, $1.location.start)
        }?.name
    }

    /// The KPI's calendar (its own, else the only or first calendar): the zone its `month`/`week` windows
    /// and trend days are cut in.
    public func zone(of kpi: KPI) -> ZoneTable {
        calendar(of: kpi).flatMap { calendarZones[$0] } ?? engine.displayZone
    }

    func calendar(of kpi: KPI) -> String? { kpi.calendar ?? defaultCalendar }

    /// The working time a `working-time-to` measure counts in: the KPI's `hours` (the checker fills them
    /// in), else the business hours of its calendar (the first by name); nil when there are none (then
    /// wall time is counted).
    public func workingTime(of kpi: KPI) -> WorkingTime? {
        if let hours = kpi.hours, let workingTime = engine.workingTime(hours) { return workingTime }
        let name = calendar(of: kpi)
        let hours = engine.rules.hours.values.filter { name == nil || $0.calendar == name }.map(\.name).sorted().first
        return hours.flatMap(engine.workingTime)
    }

    /// The KPI's current window at `now` (`over 30d`, `month`, `week`).
    public func period(of kpi: KPI, at now: Instant) -> KPIPeriod {
        kpi.window.period(at: now, zone: zone(of: kpi))
    }

    /// The KPI over `period`, as known at `now` (facts taken at `now`; in a report, the period's end),
    /// grouped by `grouping` (nil: the KPI's own `by`).
    public func breakdown<C: Collection>(of kpi: KPI, over facts: C, period: KPIPeriod, now: Instant,
                                         by grouping: KPIGrouping? = nil) -> KPIBreakdown where C.Element == TicketFacts {
        // The loop runs over a buffer, not through the generic collection: a caller in another module
        // would otherwise get the unspecialized loop, several times slower.
        let compute = { (buffer: UnsafeBufferPointer<TicketFacts>) in
            self.breakdown(of: kpi, over: buffer, period: period, now: now, by: grouping ?? kpi.grouping)
        }
        return facts.withContiguousStorageIfAvailable(compute) ?? Array(facts).withUnsafeBufferPointer(compute)
    }

    func breakdown(of kpi: KPI, over facts: UnsafeBufferPointer<TicketFacts>, period: KPIPeriod, now: Instant,
                   by grouping: KPIGrouping?) -> KPIBreakdown {
        var days = KPIDays(zone: engine.displayZone, now: now, days: 0)
        var stateDays = KPIStateDays(measure: kpi.measure, instants: [])
        return breakdown(of: kpi, over: facts, period: period, now: now, by: grouping, days: &days, stateDays: &stateDays)
    }

    /// The breakdown and, in the same pass, the days of a tile's trend: `days` for the measures counted at
    /// instants, `stateDays` for `open`, `overdue` and `backlog` (either counts nothing without days).
    func breakdown(of kpi: KPI, over facts: UnsafeBufferPointer<TicketFacts>, period: KPIPeriod, now: Instant,
                   by grouping: KPIGrouping?, days: inout KPIDays, stateDays: inout KPIStateDays) -> KPIBreakdown {
        let pass = KPIPass(kpi: kpi, calculator: self, now: now)
        var overall = KPITally()
        var byName = KPIGroupTallies()
        // Facts interned in the calculator's index tally by key; others by name.
        var byKey = [KPITally](repeating: KPITally(), count: grouping.map { groups.count($0) } ?? 0)
        let owner = groups.owner
        // Index by index, so that a fact is read in place rather than copied (its strings retained).
        guard let base = facts.baseAddress else { return empty(kpi, period: period) }
        for position in facts.indices {
            let fact = base + position
            guard pass.selects(fact) else { continue }
            stateDays.add(fact)
            guard let (at, observation) = pass.observe(fact) else { continue }
            if let at {
                days.add(observation, at: at, now: now)
                if !period.contains(at) { continue }
            } else if fact.pointee.createdAt > now {
                continue
            }
            overall.add(observation, end: period.end, now: now)
            guard let grouping else { continue }
            if fact.pointee.groupKeys.owner === owner {
                let key = fact.pointee.groupKeys[grouping]
                if key >= 0 { byKey[Int(key)].add(observation, end: period.end, now: now) }
            } else if let name = TicketFacts.group(grouping, of: fact) {
                byName.add(observation, to: name, end: period.end, now: now)
            }
        }
        if let grouping {
            for (key, tally) in byKey.enumerated() where tally.sample > 0 { byName.merge(tally, into: groups.name(Int32(key), grouping)) }
        }
        let overallValue = value(kpi, group: nil, tally: overall, households: totalHouseholds)
        let values = zip(byName.names, byName.tallies).map { key, tally in
            value(kpi, group: key, tally: tally, households: grouping == .site ? households[key] : totalHouseholds)
        }
        let sorted = values.sorted(by: kpi.worstFirst)
        return KPIBreakdown(period: period, overall: grouping == nil ? overallValue : Self.overall(overallValue, of: kpi, groups: sorted),
                            groups: sorted)
    }

    /// A count's line (`open`, `overdue`, `backlog … warn above 5`) grouped `by` something is a line per
    /// group: the whole company's total is not held against it, and stands as its worst group.
    static func overall(_ value: KPIGroupValue, of kpi: KPI, groups worstFirst: [KPIGroupValue]) -> KPIGroupValue {
        guard kpi.linesApplyToGroups else { return value }
        let level = worstFirst.first.map(\.level) ?? (value.value == nil ? .noData : .ok)
        return KPIGroupValue(kpi: value.kpi, group: nil, value: value.value, sample: value.sample, count: value.count, level: level,
                             minSample: value.minSample)
    }

    func empty(_ kpi: KPI, period: KPIPeriod) -> KPIBreakdown {
        KPIBreakdown(period: period, overall: value(kpi, group: nil, tally: KPITally(), households: totalHouseholds), groups: [])
    }

    func value(_ kpi: KPI, group: String?, tally: KPITally, households: Int?) -> KPIGroupValue {
        let (value, count) = tally.value(of: kpi.measure, households: households)
        return KPIGroupValue(kpi: kpi.name, group: group, value: value, sample: tally.sample, count: count,
                             level: kpi.level(of: value, sample: tally.sample), minSample: kpi.minSample)
    }
}

extension TicketFacts {
    /// The ticket's group: its site, its policy's team, or its assignee at the facts' instant.
    @inline(__always)
    public func group(_ grouping: KPIGrouping) -> String? {
        withUnsafePointer(to: self) { Self.group(grouping, of: $0) }
    }

    @inline(__always)
    static func group(_ grouping: KPIGrouping, of fact: UnsafePointer<TicketFacts>) -> String? {
        switch grouping {
        case .site: fact.pointee.fields.site
        case .team: fact.pointee.team
        case .assignee: fact.pointee.fields.assignee
        }
    }
}
