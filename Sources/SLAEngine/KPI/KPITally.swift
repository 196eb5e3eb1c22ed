import SLARules

/// What one ticket tells one KPI: the instant that places it in a period, and what it counts.
enum KPIObservation {
    /// A share's sample: counted, and in the numerator when true. Also the state counts (`open` …).
    case hit(Bool)
    /// Resolution rate: created in the period; in the numerator when done before the period's end (and now).
    case done(Instant?)
    /// A return-visit score.
    case score(Int)
    /// Seconds from a clock's start to its stop.
    case duration(Int)
    /// A ticket at a site with households (`per-100-households`).
    case ticket
}

/// The running sums of one KPI for one group (or the whole company, or one day of a trend).
struct KPITally {
    var sample = 0
    var numerator = 0
    var scoreSum = 0
    var durations: [Int] = []

    @inline(__always)
    mutating func add(_ observation: KPIObservation, end: Instant, now: Instant) {
        sample += 1
        switch observation {
        case let .hit(yes): if yes { numerator += 1 }
        case let .done(at): if let at, at < end, at <= now { numerator += 1 }
        case let .score(score): scoreSum += score
        case let .duration(seconds): durations.append(seconds)
        case .ticket: numerator += 1
        }
    }

    /// Adds another tally of the same KPI and period (the same group counted apart).
    mutating func merge(_ other: KPITally) {
        sample += other.sample
        numerator += other.numerator
        scoreSum += other.scoreSum
        durations += other.durations
    }

    /// The value in the measure's unit, and the numerator where there is one; nil value with no data.
    func value(of measure: KPIMeasure, households: Int?) -> (value: Double?, count: Int?) {
        guard sample > 0 else { return (nil, nil) }
        switch measure {
        case .onTime, .resolutionRate, .satisfiedShare, .repeatRate, .revisitRate:
            return (Double(numerator) / Double(sample), numerator)
        case let .timeTo(_, percentile, _):
            return (Double(Self.nearestRank(durations, percentile: percentile)), nil)
        case .satisfaction:
            return (Double(scoreSum) / Double(sample), nil)
        case .per100Households:
            guard let households, households > 0 else { return (nil, numerator) }
            return (Double(numerator) * 100 / Double(households), numerator)
        case .open, .overdue, .backlog:
            return (Double(numerator), numerator)
        }
    }

    /// The nearest-rank percentile: the smallest value with at least p% of the values at or below it.
    static func nearestRank(_ values: [Int], percentile: Int) -> Int {
        precondition(!values.isEmpty)
        let sorted = values.sorted()
        let rank = (percentile * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// Tallies by group name, in the order the groups were first seen.
struct KPIGroupTallies {
    private var index: [String: Int] = [:]
    private(set) var names: [String] = []
    private(set) var tallies: [KPITally] = []

    @inline(__always)
    mutating func add(_ observation: KPIObservation, to name: String, end: Instant, now: Instant) {
        tallies[slot(name)].add(observation, end: end, now: now)
    }

    mutating func merge(_ tally: KPITally, into name: String) {
        tallies[slot(name)].merge(tally)
    }

    private mutating func slot(_ name: String) -> Int {
        if let slot = index[name] { return slot }
        index[name] = tallies.count
        names.append(name)
        tallies.append(KPITally())
        return tallies.count - 1
    }
}

extension KPI {
    /// Where a value stands: `no-data` without a sample (or value), or with fewer than `min sample`;
    /// `breached` past the target, `warning` past the warning line, else `ok`. Without lines, always `ok`.
    /// The one place a level is decided: the 看板, `/metrics`, the warnings and the reports read it.
    public func level(of value: Double?, sample: Int) -> KPILevel {
        guard sample > 0, sample >= minSample ?? 1, let value else { return .noData }
        if let target, target.isCrossed(by: value) { return .breached }
        if let warn, warn.isCrossed(by: value) { return .warning }
        return .ok
    }

    /// Orders group values worst first: breached, warning, ok, no data; within a level the worse value
    /// first; then by name.
    public func worstFirst(_ a: KPIGroupValue, _ b: KPIGroupValue) -> Bool {
        func rank(_ level: KPILevel) -> Int {
            switch level {
            case .breached: 0
            case .warning: 1
            case .ok: 2
            case .noData: 3
            }
        }
        if rank(a.level) != rank(b.level) { return rank(a.level) < rank(b.level) }
        if let x = a.value, let y = b.value, x != y { return higherIsBetter ? x < y : x > y }
        return (a.group ?? "") < (b.group ?? "")
    }
}
