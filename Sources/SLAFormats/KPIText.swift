import Foundation
import SLAEngine
import SLARules

/// How KPI values read to people, everywhere (notices, reports, the 看板): a share as `93.5%`, a time
/// as `3 小时 20 分钟`, a score as `4.83`, a rate as `3.2`, a count as `12`.
public enum KPIText {
    public static func value(_ value: Double?, _ unit: KPIUnit) -> String {
        guard let value, value.isFinite else { return "—" }
        switch unit {
        case .share: return trimmed(value * 100, decimals: 1) + "%"
        case .seconds: return duration(Int(value.rounded()))
        case .score: return trimmed(value, decimals: 2)
        case .rate: return trimmed(value, decimals: 1)
        case .count: return String(Int(value.rounded()))
        }
    }

    /// `目标 ≥ 93%`, `目标 ≤ 5%`.
    public static func target(_ line: KPILine, _ unit: KPIUnit) -> String {
        "目标 \(line.higherIsBetter ? "≥" : "≤") \(value(line.value, unit))"
    }

    /// `预警线 95%`.
    public static func warn(_ line: KPILine, _ unit: KPIUnit) -> String { "预警线 \(value(line.value, unit))" }

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

    /// `3 小时 20 分钟`, `45 分钟`, `2 天 3 小时`.
    public static func duration(_ seconds: Int) -> String {
        let minutes = max(0, seconds) / 60
        if minutes < 1 { return "不到 1 分钟" }
        if minutes < 60 { return "\(minutes) 分钟" }
        if minutes < 24 * 60 { return minutes % 60 == 0 ? "\(minutes / 60) 小时" : "\(minutes / 60) 小时 \(minutes % 60) 分钟" }
        let hours = minutes / 60
        return hours % 24 == 0 ? "\(hours / 24) 天" : "\(hours / 24) 天 \(hours % 24) 小时"
    }

    static func trimmed(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
