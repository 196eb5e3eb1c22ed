import SLARules

/// Where a value stands against its KPI's lines.
public enum KPILevel: String, Sendable, Hashable, Codable {
    case ok, warning, breached
    /// Nothing to measure in the window (no ticket, no visit): neither good nor bad.
    case noData = "no-data"
}

/// A time span `[start, end)`.
public struct KPIPeriod: Sendable, Hashable {
    public let start: Instant
    public let end: Instant

    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    public func contains(_ instant: Instant) -> Bool { instant >= start && instant < end }
}

/// One KPI's value for one group (or for the whole company, `group == nil`) over one period.
public struct KPIGroupValue: Sendable, Hashable {
    public let kpi: String
    /// The site, team or assignee; nil for the whole company.
    public let group: String?
    /// In the measure's unit (`KPIMeasure.unit`): a share 0…1, seconds, a score, a rate, a count. Nil with
    /// no data.
    public let value: Double?
    /// What it was computed over: tickets, stopped clocks or visits (the denominator).
    public let sample: Int
    /// The numerator where the measure has one (tickets on time, resolved, …).
    public let count: Int?
    public let level: KPILevel
    /// The KPI's `min sample`, if it has one: below it the level is `no-data` though the value is known.
    public let minSample: Int?

    public init(kpi: String, group: String?, value: Double?, sample: Int, count: Int? = nil, level: KPILevel, minSample: Int? = nil) {
        self.kpi = kpi
        self.group = group
        self.value = value
        self.sample = sample
        self.count = count
        self.level = level
        self.minSample = minSample
    }

    /// `no-data` for want of a sample (some, but fewer than `min sample`), not for want of any: shown as
    /// 样本不足 (3/20) with the value, where no sample at all is 无数据.
    public var isShortOfSample: Bool {
        guard level == .noData, sample > 0, let minSample else { return false }
        return sample < minSample
    }
}

/// A point of a KPI's trend: its whole-company value over the period ending at `end`.
public struct KPITrendPoint: Sendable, Hashable {
    public let start: Instant
    public let end: Instant
    public let value: Double?
    /// What the value was computed over, where known (a report's weeks; `KPI.level(of:sample:)` judges
    /// it against `min sample`); nil for the 看板's daily points, which are drawn, not judged.
    public let sample: Int?

    public init(start: Instant, end: Instant, value: Double?, sample: Int? = nil) {
        self.start = start
        self.end = end
        self.value = value
        self.sample = sample
    }
}

/// Everything known about one KPI at one instant: what the 看板 shows as a tile, `/metrics` exports and
/// the KPI warnings act on.
public struct KPITile: Sendable, Hashable {
    public let kpi: String
    public let title: String
    public let unit: KPIUnit
    public let higherIsBetter: Bool
    public let target: Double?
    public let warn: Double?
    public let period: KPIPeriod
    /// The whole company.
    public let overall: KPIGroupValue
    /// Per site, team or assignee when the KPI is grouped; worst first.
    public let groups: [KPIGroupValue]
    /// Daily points over the last 30 days, oldest first.
    public let trend: [KPITrendPoint]
    /// What `groups` are (the KPI's `by`), for their names on the 看板 and their label in `/metrics`
    /// (`site`, `team`, `assignee`); nil when the KPI is not grouped.
    public var grouping: KPIGrouping?

    public init(kpi: String, title: String, unit: KPIUnit, higherIsBetter: Bool, target: Double?, warn: Double?,
                period: KPIPeriod, overall: KPIGroupValue, groups: [KPIGroupValue], trend: [KPITrendPoint]) {
        self.kpi = kpi
        self.title = title
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.target = target
        self.warn = warn
        self.period = period
        self.overall = overall
        self.groups = groups
        self.trend = trend
    }
}

/// All KPIs at one instant, in rule order.
public struct KPISnapshot: Sendable, Hashable {
    public let computedAt: Instant
    public let tiles: [KPITile]

    public init(computedAt: Instant, tiles: [KPITile]) {
        self.computedAt = computedAt
        self.tiles = tiles
    }

    public static let empty = KPISnapshot(computedAt: Instant(seconds: 0), tiles: [])
}
