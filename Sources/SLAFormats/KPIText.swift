import SLAEngine
import SLARules

/// How KPI notices word values, lines, windows and groups.
public enum KPIText {
    /// A value as the reports show it (`KPIReport.text`): `93.5%`, `2h30m`, `4.67`, `12`; `—` without data.
    public static func value(_ value: Double?, _ unit: KPIUnit) -> String { KPIReport.text(value, unit: unit) }

    /// `目标 ≥ 93%`, `目标 ≤ 5%`.
    public static func target(_ line: KPILine, _ unit: KPIUnit) -> String {
        "目标 \(line.higherIsBetter ? "≥" : "≤") \(value(line.value, unit))"
    }

    /// `预警线 95%`.
    public static func warn(_ line: KPILine, _ unit: KPIUnit) -> String { "预警线 \(value(line.value, unit))" }

    /// `样本不足 (3/20)`: why a value that is known is judged `no-data` (its sample is below the KPI's
    /// `min sample`); nil for any other value. The 看板 and the reports show it in place of 无数据.
    public static func shortOfSample(_ value: KPIGroupValue) -> String? {
        guard value.isShortOfSample, let minimum = value.minSample else { return nil }
        return "样本不足 (\(value.sample)/\(minimum))"
    }

    /// `近 30 天`, `本月`, `本周`.
    public static func window(_ window: KPIWindow) -> String {
        switch window {
        case let .rolling(days): "近 \(days) 天"
        case .month: "本月"
        case .week: "本周"
        }
    }

    /// A group as people know it: a site's title, a person's name, a team's name; `全公司` for none.
    public static func group(_ group: String?, _ grouping: KPIGrouping?, rules: RuleSet) -> String {
        guard let group else { return "全公司" }
        switch grouping {
        case .site: return rules.sites[group]?.title ?? group
        case .assignee: return rules.people[group]?.displayName ?? group
        case .team, nil: return group
        }
    }
}
