import SLAEngine
import SLARules

/// How KPI values, lines, windows and groups are written for people: the one formatter of the 看板, the
/// reports' human formats (table, Markdown, HTML, CSV's `display`) and the KPI notices, so an operator
/// reads `1小时30分` and `≥ 93%` the same way everywhere. Machine formats (CSV `value`, JSON, /metrics) stay
/// numeric in the measure's unit.
public enum KPIText {
    /// A value by its unit: a share `93.5%` (`93%`), a time `1小时30分` (`45分钟`, `30秒`), a score `4.67`
    /// (`5.0`), a rate `2.35件/百户`, a count `12`; `—` without data. `withUnit: false` leaves the rate's
    /// unit off (a chart's axis, a column already headed by it).
    public static func value(_ value: Double?, _ unit: KPIUnit, withUnit: Bool = true) -> String {
        guard let value, value.isFinite else { return "—" }
        switch unit {
        case .share: return decimal(value * 100, places: 1) + "%"
        case .seconds: return duration(Int(value.rounded()))
        case .score: return decimal(value, places: 2, keepZero: true)
        case .rate: return decimal(value, places: 2) + (withUnit ? rateUnit : "")
        case .count: return String(Int(value.rounded()))
        }
    }

    /// Tickets per 100 households (`per-100-households`): 件/百户.
    public static let rateUnit = "件/百户"

    /// Seconds as a Chinese duration: `30秒`, `45分钟`, `2小时`, `1小时30分`, `44小时28分`. Long times stay in
    /// hours, which is how the manuals state their limits (24小时完成率).
    public static func duration(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : ""
        let total = abs(seconds)
        if total < 60 { return "\(sign)\(total)秒" }
        let hours = total / 3600, minutes = (total % 3600) / 60
        if hours == 0 { return "\(sign)\(minutes)分钟" }
        return minutes == 0 ? "\(sign)\(hours)小时" : "\(sign)\(hours)小时\(minutes)分"
    }

    /// The target with its good side, as the rule says it: `≥ 93%` (at least), `≤ 24小时` (at most).
    public static func targetLine(_ line: KPILine, _ unit: KPIUnit) -> String {
        (line.higherIsBetter ? "≥ " : "≤ ") + value(line.value, unit)
    }

    /// The warning line with its bad side, as the rule says it: `< 95%` (`warn below 95%`), `> 30分钟`.
    public static func warnCondition(_ line: KPILine, _ unit: KPIUnit) -> String {
        (line.higherIsBetter ? "< " : "> ") + value(line.value, unit)
    }

    /// `目标 ≥ 93%`, `目标 ≤ 5%`.
    public static func target(_ line: KPILine, _ unit: KPIUnit) -> String { "目标 " + targetLine(line, unit) }

    /// `低于 95% 预警`, `高于 30分钟 预警`: when the warning comes, never a bare number.
    public static func warn(_ line: KPILine, _ unit: KPIUnit) -> String {
        "\(line.higherIsBetter ? "低于" : "高于") \(value(line.value, unit)) 预警"
    }

    /// Up to `places` decimals, trailing zeros dropped (`93.5`, `93`); `keepZero` keeps one (`5.0`).
    public static func decimal(_ value: Double, places: Int, keepZero: Bool = false) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        var digits = fraction == 0 && places > 0 ? "" : String(fraction)
        if !digits.isEmpty { digits = String(repeating: "0", count: places - digits.count) + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty, keepZero, places > 0 { digits = "0" }
        if !digits.isEmpty { text += "." + digits }
        return text
    }

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
