import SLAEngine
import SLARules

extension KPIReport {
    static let css = """
    .level { font-weight: bold; white-space: nowrap; }
    .level.ok { color: #2e7d32; } .level.warning { color: #ef8f00; } .level.breached { color: #c62828; } .level.no-data { color: #78909c; }
    .charts { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
    svg.kpi-trend { width: 420px; max-width: 100%; } svg.kpi-breakdown { width: 640px; max-width: 100%; }
    """

    /// One self-contained page: the summary table, then per KPI its weekly bars and its breakdown.
    public func html() -> String {
        let e = ReportText.html
        var body = "<h1>\(e(heading))</h1>\n<p class=\"note\">\(e(intro))</p>\n"
        guard !rows.isEmpty else {
            return ReportHTML.page(title: heading, body: body + "<p>The rules define no kpi. 规则中没有定义指标。</p>", extraCSS: Self.css)
        }
        body += "<table class=\"kpis\">\n"
        body += ReportHTML.row(["KPI", "指标 Title", "Value 数值", "Target 目标", "Warn if 预警条件", "Sample 样本", "Level 状态"], header: true) + "\n"
        for row in rows {
            let unit = row.kpi.measure.unit, value = row.breakdown.overall
            body += "<tr class=\"kpi\" data-kpi=\"\(e(row.kpi.name))\" data-level=\"\(value.level.rawValue)\">"
            body += "<td><code>\(e(row.kpi.name))</code></td><td>\(e(row.kpi.title ?? ""))</td>"
            body += "<td class=\"num\">\(e(Self.text(value.value, unit: unit)))</td><td>\(e(Self.text(target: row.kpi.target, unit: unit)))</td>"
            body += "<td>\(e(Self.text(warn: row.kpi.warn, unit: unit)))</td><td class=\"num\">\(value.sample)</td>"
            body += "<td><span class=\"level \(value.level.rawValue)\">\(e(Self.label(value)))</span></td></tr>\n"
        }
        body += "</table>\n"
        let reasons = noDataReasons()
        if !reasons.isEmpty {
            body += "<ul class=\"no-data\">" + reasons.map { "<li><code>\(e($0.kpi))</code>: \(e($0.reason))</li>" }.joined() + "</ul>\n"
        }
        for row in rows {
            body += "<section class=\"kpi\" data-kpi=\"\(e(row.kpi.name))\">\n"
            body += "<h2>\(e(row.kpi.name))\(row.kpi.title.map { " " + e($0) } ?? "")</h2>\n"
            var about = "口径 measure: <code>\(e(row.kpi.measure.syntax))</code>"
            if let source = row.kpi.source { about += " · 来源 source: \(e(source))" }
            if row.breakdown.overall.level == .noData { about += "<br><span class=\"level no-data\">\(e(Self.noDataReason(row.kpi, value: row.breakdown.overall)))</span>" }
            body += "<p class=\"note\">\(about)</p>\n<div class=\"charts\">\n<div class=\"chart\">\(KPIChartSVG.weekly(row, zone: zone))</div>\n"
            if let grouping = grouping(of: row), !row.breakdown.groups.isEmpty {
                body += "<div class=\"chart\">\(KPIChartSVG.breakdown(row, grouping: grouping))</div>\n"
            }
            body += "</div>\n</section>\n"
        }
        body += "<footer>slad report · \(e(source))</footer>"
        return ReportHTML.page(title: heading, body: body, extraCSS: Self.css)
    }
}
