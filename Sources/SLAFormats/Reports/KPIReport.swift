import SLAEngine
import SLARules

/// Every KPI of the rules over one period (`slad report`): the whole company's value and level, per site,
/// team or person when grouped, and the value per week of the period. Rendered as a terminal table, CSV,
/// JSON, Markdown and one self-contained HTML page with SVG charts.
public struct KPIReport: Sendable {
    public struct Row: Sendable {
        public let kpi: KPI
        public let breakdown: KPIBreakdown
        /// The whole company's value per ISO week of the period (each week cut to the period).
        public let weekly: [KPITrendPoint]

        public init(kpi: KPI, breakdown: KPIBreakdown, weekly: [KPITrendPoint]) {
            self.kpi = kpi
            self.breakdown = breakdown
            self.weekly = weekly
        }
    }

    public let period: KPIPeriod
    /// The zone the period's days are cut in and times are shown in.
    public let zone: ZoneTable
    /// The grouping asked for (`--by`); nil: each KPI's own `by`.
    public let grouping: KPIGrouping?
    /// Where the tickets came from (a file name), and how many there were.
    public let source: String
    public let tickets: Int
    public let rows: [Row]

    public init(period: KPIPeriod, zone: ZoneTable, grouping: KPIGrouping?, source: String, tickets: Int, rows: [Row]) {
        self.period = period
        self.zone = zone
        self.grouping = grouping
        self.source = source
        self.tickets = tickets
        self.rows = rows
    }

    /// Computes every KPI of the calculator's rules (or `kpis`) over `period`, judged at the period's end
    /// or at `now` when that is earlier (a period still running: a clock whose deadline lies ahead is not
    /// late yet); the facts should be taken at the same instant.
    public static func make<C: Collection>(calculator: KPICalculator, kpis: [KPI]? = nil, facts: C, period: KPIPeriod,
                                           zone: ZoneTable, grouping: KPIGrouping?, source: String, now: Instant? = nil) -> KPIReport
    where C.Element == TicketFacts {
        let weeks = period.weeks(zone: zone)
        let at = min(period.end, now ?? period.end)
        let rows = (kpis ?? calculator.engine.rules.kpis).map { kpi in
            Row(kpi: kpi, breakdown: calculator.breakdown(of: kpi, over: facts, period: period, now: at, by: grouping),
                weekly: calculator.series(of: kpi, over: facts, periods: weeks, now: at))
        }
        return KPIReport(period: period, zone: zone, grouping: grouping, source: source, tickets: facts.count, rows: rows)
    }

    /// `2020-01-01 – 2020-01-31`: the period's first and last local day.
    public var periodText: String {
        let first = zone.formatShort(period.start).prefix(10)
        let last = zone.formatShort(period.end - 1).prefix(10)
        return first == last ? String(first) : "\(first) – \(last)"
    }

    /// The grouping a row's groups are by.
    func grouping(of row: Row) -> KPIGrouping? { grouping ?? row.kpi.grouping }

    /// A value for people (`KPIText.value`): `93.5%`, `2小时30分`, `4.67`, `1.25件/百户`, `12`; `—` without data.
    public static func text(_ value: Double?, unit: KPIUnit) -> String { KPIText.value(value, unit) }

    /// The target with its good side: `≥ 93%`, `≤ 24小时`; `—` without one.
    public static func text(target line: KPILine?, unit: KPIUnit) -> String { line.map { KPIText.targetLine($0, unit) } ?? "—" }

    /// The warning line with its bad side: `< 95%`, `> 30分钟`; `—` without one.
    public static func text(warn line: KPILine?, unit: KPIUnit) -> String { line.map { KPIText.warnCondition($0, unit) } ?? "—" }

    /// `at-least` / `at-most` for a target, `below` / `above` for a warning line: the rule's own words.
    static func side(target line: KPILine?) -> String { line.map { $0.higherIsBetter ? "at-least" : "at-most" } ?? "" }
    static func side(warn line: KPILine?) -> String { line.map { $0.higherIsBetter ? "below" : "above" } ?? "" }

    /// 达标 / 预警 / 未达标 / 无数据 with the level's name.
    public static func label(_ level: KPILevel) -> String {
        switch level {
        case .ok: "ok 达标"
        case .warning: "warning 预警"
        case .breached: "breached 未达标"
        case .noData: "no data 无数据"
        }
    }

    /// A value's level: `label(level)`, or `small sample 样本不足 (3/20)` when it is `no-data` for a sample
    /// below the KPI's `min sample`.
    public static func label(_ value: KPIGroupValue) -> String {
        KPIText.shortOfSample(value).map { "small sample " + $0 } ?? label(value.level)
    }

    /// 站点 / 班组 / 处理人.
    static func label(_ grouping: KPIGrouping) -> String {
        switch grouping {
        case .site: "site 小区"
        case .team: "team 班组"
        case .assignee: "assignee 处理人"
        }
    }
}
