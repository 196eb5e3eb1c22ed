import SLAEngine
import SLARules

extension KPIReport {
    /// Why each KPI whose whole-company value has no data has none, in rule order: the table, Markdown and
    /// HTML say it under the summary, so "no data" on a month of 10,000 tickets is not a riddle.
    func noDataReasons() -> [(kpi: String, reason: String)] {
        rows.filter { $0.breakdown.overall.level == .noData }.map { row in
            (row.kpi.name, Self.noDataReason(row.kpi, value: row.breakdown.overall))
        }
    }

    /// `无数据：期间内没有已解决（resolved）的工单…`: what the measure counts that the period did not have.
    public static func noDataReason(_ kpi: KPI, sample: Int = 0) -> String { "无数据：" + noDataCause(kpi, sample: sample) }

    /// The reason for a value judged no-data: its value was computed but its sample is below the KPI's
    /// `min sample` (the value is shown, so "not enough to compute" would be untrue), else as above.
    public static func noDataReason(_ kpi: KPI, value: KPIGroupValue) -> String { "无数据：" + noDataCause(kpi, value: value) }

    public static func noDataCause(_ kpi: KPI, value: KPIGroupValue) -> String {
        if value.isShortOfSample, let minimum = value.minSample { return "样本只有 \(value.sample)，少于最低样本 \(minimum)，不作评判" }
        return noDataCause(kpi, sample: value.sample)
    }

    /// The reason without its `无数据：` (the 看板's tile already says 无数据 on its badge). A sample without a
    /// value (too few to judge) is said as such rather than as none at all.
    public static func noDataCause(_ kpi: KPI, sample: Int = 0) -> String {
        if sample > 0 { return "样本只有 \(sample)，不足以计算" }
        let selected = kpi.match == .always ? "" : "符合条件（when）的"
        let what: String = switch kpi.measure {
        case let .onTime(clock): "期间内没有停止或到期的 \(clock) 计时（\(selected)工单）"
        case let .timeTo(clock, _, _): "期间内没有停止的 \(clock) 计时（\(selected)工单）"
        case .resolutionRate, .repeatRate: "期间内没有新建的\(selected)工单"
        case .satisfaction, .satisfiedShare: "期间内没有带评分的回访（revisited）"
        case .revisitRate: "期间内没有已解决（resolved）的\(selected)工单；只关闭（closed）未解决的不计"
        case .per100Households: "期间内没有在登记了户数（households）的小区新建的\(selected)工单"
        case .open, .overdue, .backlog: "没有\(selected)工单"
        }
        return what
    }
}
