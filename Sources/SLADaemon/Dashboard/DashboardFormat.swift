import SLAEngine
import SLAFormats
import SLARules

/// The 看板's words: levels, groupings and kinds in Chinese, time left on a list row. Values and lines are
/// written by `KPIText` (SLAFormats), the formatter the reports and notices use too.
enum DashboardFormat {
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

    /// Time left or late, for a list row: `剩 12分钟`, `超 1小时5分`.
    static func remaining(_ deadline: Instant, now: Instant) -> String {
        let seconds = deadline - now
        return seconds >= 0 ? "剩 " + KPIText.duration(seconds) : "超 " + KPIText.duration(-seconds)
    }
}
