import SLAEngine
import SLAFormats
import SLARules

/// How the 看板 writes values for people: a share as `93.5%`, seconds as `3时20分`, a score `4.8`, a rate
/// `2.35`, a count `12`; lines as `≥ 93%`; levels and groupings in Chinese.
enum DashboardFormat {
    static func value(_ value: Double?, unit: KPIUnit) -> String {
        guard let value, value.isFinite else { return "—" }
        switch unit {
        case .share: return decimal(value * 100, places: 1) + "%"
        case .seconds: return duration(Int(value.rounded()))
        case .score: return decimal(value, places: 1, keepZero: true)
        case .rate: return decimal(value, places: 2)
        case .count: return String(Int(value.rounded()))
        }
    }

    /// `≥ 93%` for a line higher values must stay above, `≤ 4时` for one they must stay under.
    static func line(_ value: Double?, higherIsBetter: Bool, unit: KPIUnit) -> String? {
        guard let value else { return nil }
        return (higherIsBetter ? "≥ " : "≤ ") + Self.value(value, unit: unit)
    }

    /// Seconds as 时 and 分 (`36时5分`, `45分`, `30秒`): long times stay in hours, which is how the
    /// manuals state their limits (24小时完成率).
    static func duration(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : ""
        let total = abs(seconds)
        if total < 60 { return "\(sign)\(total)秒" }
        let hours = total / 3600, minutes = (total % 3600) / 60
        if hours == 0 { return "\(sign)\(minutes)分" }
        return minutes == 0 ? "\(sign)\(hours)时" : "\(sign)\(hours)时\(minutes)分"
    }

    /// Up to `places` decimals, trailing zeros dropped (`93.5`, `93`); `keepZero` keeps one (`5.0`).
    static func decimal(_ value: Double, places: Int, keepZero: Bool = false) -> String {
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

    static func level(_ level: KPILevel) -> String {
        switch level {
        case .ok: "正常"
        case .warning: "预警"
        case .breached: "未达标"
        case .noData: "无数据"
        }
    }

    /// A value's level: 样本不足 (3/20) when its sample is below the KPI's `min sample`, else `level(_:)`.
    static func level(of value: KPIGroupValue) -> String {
        KPIText.shortOfSample(value) ?? level(value.level)
    }

    static func grouping(_ grouping: KPIGrouping?) -> String {
        switch grouping {
        case .site: "小区"
        case .team: "班组"
        case .assignee: "人员"
        case nil: "分组"
        }
    }

    static func kind(_ kind: String) -> String {
        ["complaint": "投诉", "repair": "报修", "enquiry": "咨询", "suggestion": "建议", "incident": "事件"][kind] ?? kind
    }

    /// Time left or late, for a list row: `剩 12分`, `超 1时5分`.
    static func remaining(_ deadline: Instant, now: Instant) -> String {
        let seconds = deadline - now
        return seconds >= 0 ? "剩 " + duration(seconds) : "超 " + duration(-seconds)
    }
}
