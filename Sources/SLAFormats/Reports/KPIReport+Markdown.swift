import SLAEngine
import SLARules

extension KPIReport {
    var heading: String { "指标报告 KPI report — \(periodText)" }

    var intro: String {
        "\(time(period.start)) – \(time(period.end)) (\(zone.identifier)) · \(ReportText.count(tickets, "ticket")) 工单 · source 数据: \(source)"
    }

    func time(_ instant: Instant) -> String { ReportText.time(instant, zone: zone) }

    /// The report as Markdown: a summary table, then per KPI its weekly values and its groups.
    public func markdown() -> String {
        let cell = ReportText.markdownCell
        var lines = ["# \(ReportText.markdownInline(heading))", "", ReportText.markdownInline(intro), ""]
        guard !rows.isEmpty else { return (lines + ["The rules define no kpi. 规则中没有定义指标。", ""]).joined(separator: "\n") }
        lines.append("| KPI | 指标 Title | Value 数值 | Target 目标 | Warn if 预警条件 | Sample 样本 | Level 状态 |")
        lines.append("|---|---|---:|---|---|---:|---|")
        for row in rows {
            let unit = row.kpi.measure.unit, value = row.breakdown.overall
            lines.append("| \(cell(row.kpi.name)) | \(cell(row.kpi.title ?? "")) | \(Self.text(value.value, unit: unit)) | \(Self.text(target: row.kpi.target, unit: unit)) | \(Self.text(warn: row.kpi.warn, unit: unit)) | \(value.sample) | \(Self.label(value)) |")
        }
        let reasons = noDataReasons()
        if !reasons.isEmpty { lines += [""] + reasons.map { "- `\($0.kpi)`: \(ReportText.markdownInline($0.reason))" } }
        for row in rows {
            let unit = row.kpi.measure.unit
            lines.append("")
            lines.append("## \(ReportText.markdownInline(row.kpi.name + (row.kpi.title.map { " " + $0 } ?? "")))")
            lines.append("")
            var about = "Measure 口径: `\(row.kpi.measure.syntax)`"
            if let source = row.kpi.source { about += " · Source 来源: \(ReportText.markdownInline(source))" }
            lines.append(about)
            lines.append("")
            lines.append("| Week 周 | Value 数值 |")
            lines.append("|---|---:|")
            for point in row.weekly {
                lines.append("| \(time(point.start).prefix(10)) – \(time(point.end - 1).prefix(10)) | \(Self.text(point.value, unit: unit)) |")
            }
            guard let grouping = grouping(of: row), !row.breakdown.groups.isEmpty else { continue }
            lines.append("")
            lines.append("| \(Self.label(grouping)) | Value 数值 | Sample 样本 | Level 状态 |")
            lines.append("|---|---:|---:|---|")
            for group in row.breakdown.groups {
                lines.append("| \(cell(group.group ?? "")) | \(Self.text(group.value, unit: unit)) | \(group.sample) | \(Self.label(group)) |")
            }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
