import SLAEngine
import SLARules

/// The KPI report's charts: a bar per week of the period (`<svg class="kpi-trend">`) and a horizontal bar
/// per site, team or person (`<svg class="kpi-breakdown">`), coloured by level, with the target as a
/// dashed line. Inline SVG, no scripts or fonts.
enum KPIChartSVG {
    static let grey = "#90a4ae"

    static func colour(_ level: KPILevel) -> String {
        switch level {
        case .ok: TimelineSVG.green
        case .warning: TimelineSVG.amber
        case .breached: TimelineSVG.red
        case .noData: grey
        }
    }

    /// The top of the value axis, four even ticks apart: 5 for scores, 100% for shares above a half, else
    /// the next round number above the largest value or line (whole minutes and hours for times).
    static func axisMax(_ values: [Double], kpi: KPI) -> Double {
        let unit = kpi.measure.unit
        let top = (values + [kpi.target?.value, kpi.warn?.value].compactMap { $0 }).max() ?? 0
        if unit == .score { return 5 }
        if unit == .share, top > 0.5 { return 1 }
        guard top > 0 else { return unit == .share ? 1 : 4 }
        let quarter = top * 1.1 / 4
        if unit == .seconds {
            let steps = [60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800]
            return Double(steps.first { Double($0) >= quarter } ?? Int((quarter / 604_800).rounded(.up)) * 604_800) * 4
        }
        var magnitude = 1.0
        while magnitude * 10 <= quarter { magnitude *= 10 }
        while magnitude > quarter { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= quarter } ?? magnitude * 10
        return unit == .count ? max(4, (step * 4).rounded(.up)) : step * 4
    }

    static func weekly(_ row: KPIReport.Row, zone: ZoneTable) -> String {
        let e = ReportText.html, n = TimelineSVG.number
        let kpi = row.kpi, unit = kpi.measure.unit
        let width = 420.0, height = 170.0, left = 54.0, right = 410.0, top = 14.0, bottom = 136.0
        let yMax = axisMax(row.weekly.compactMap(\.value), kpi: kpi)
        func y(_ value: Double) -> Double { bottom - (bottom - top) * min(max(value, 0), yMax) / yMax }
        var svg = "<svg class=\"kpi-trend\" data-kpi=\"\(e(kpi.name))\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"10\">\n"
        for step in 0...4 {
            let value = yMax * Double(step) / 4
            svg += "<line x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(y(value)))\" y2=\"\(n(y(value)))\" stroke=\"#eceff1\"/>"
            svg += "<text x=\"\(n(left - 4))\" y=\"\(n(y(value) + 3))\" text-anchor=\"end\" fill=\"#607d8b\">\(e(KPIText.value(value, unit, withUnit: false)))</text>\n"
        }
        let slot = (right - left) / Double(max(1, row.weekly.count))
        for (index, point) in row.weekly.enumerated() {
            let x = left + slot * Double(index)
            let date = String(zone.formatShort(point.start).prefix(10).suffix(5))
            if let value = point.value {
                let level = point.sample.map { kpi.level(of: value, sample: $0) } ?? KPIAlarm.level(kpi: kpi, value)
                svg += "<rect class=\"bar \(level.rawValue)\" x=\"\(n(x + slot * 0.2))\" y=\"\(n(y(value)))\" width=\"\(n(slot * 0.6))\" height=\"\(n(max(1, bottom - y(value))))\" fill=\"\(colour(level))\">"
                svg += "<title>\(e(date)): \(e(KPIReport.text(value, unit: unit)))</title></rect>"
                svg += "<text x=\"\(n(x + slot / 2))\" y=\"\(n(y(value) - 3))\" text-anchor=\"middle\" fill=\"#37474f\">\(e(KPIReport.text(value, unit: unit)))</text>"
            } else {
                svg += "<text x=\"\(n(x + slot / 2))\" y=\"\(n(bottom - 4))\" text-anchor=\"middle\" fill=\"\(grey)\">—</text>"
            }
            svg += "<text x=\"\(n(x + slot / 2))\" y=\"\(n(bottom + 13))\" text-anchor=\"middle\" fill=\"#455a64\">\(e(date))</text>\n"
        }
        svg += lines(kpi, left: left, right: right, y: y)
        svg += "<line x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(bottom))\" y2=\"\(n(bottom))\" stroke=\"#90a4ae\"/>"
        svg += "<text x=\"\(n(left))\" y=\"\(n(height - 4))\" fill=\"#607d8b\">每周 weekly, week starting</text></svg>"
        return svg
    }

    /// The target (dark dashes) and the warning line (amber dashes) across a chart.
    static func lines(_ kpi: KPI, left: Double, right: Double, y: (Double) -> Double) -> String {
        let n = TimelineSVG.number
        var svg = ""
        if let target = kpi.target {
            svg += "<line class=\"target\" x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(y(target.value)))\" y2=\"\(n(y(target.value)))\" stroke=\"#37474f\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n"
        }
        if let warn = kpi.warn {
            svg += "<line class=\"warn\" x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(y(warn.value)))\" y2=\"\(n(y(warn.value)))\" stroke=\"\(TimelineSVG.amber)\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>\n"
        }
        return svg
    }

    /// A horizontal bar per group, worst first; at most `limit` groups, the rest counted below.
    static func breakdown(_ row: KPIReport.Row, grouping: KPIGrouping, limit: Int = 40) -> String {
        let e = ReportText.html, n = TimelineSVG.number
        let kpi = row.kpi, unit = kpi.measure.unit
        let shown = Array(row.breakdown.groups.prefix(limit))
        let rowHeight = 18.0, top = 8.0, left = 150.0, right = 560.0
        let height = top + rowHeight * Double(shown.count) + 24
        let xMax = axisMax(shown.compactMap(\.value), kpi: kpi)
        func x(_ value: Double) -> Double { left + (right - left) * min(max(value, 0), xMax) / xMax }
        var svg = "<svg class=\"kpi-breakdown\" data-kpi=\"\(e(kpi.name))\" data-by=\"\(grouping.rawValue)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 \(n(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        for (index, group) in shown.enumerated() {
            let yTop = top + rowHeight * Double(index)
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(yTop + 12))\" text-anchor=\"end\" fill=\"#37474f\">\(e(TimelineSVG.clip(group.group ?? "", 22)))</text>"
            if let value = group.value {
                svg += "<rect class=\"bar \(group.level.rawValue)\" data-group=\"\(e(group.group ?? ""))\" x=\"\(n(left))\" y=\"\(n(yTop + 3))\" width=\"\(n(max(1, x(value) - left)))\" height=\"\(n(rowHeight - 6))\" fill=\"\(colour(group.level))\">"
                svg += "<title>\(e(group.group ?? "")): \(e(KPIReport.text(value, unit: unit))) (\(group.sample))</title></rect>"
                svg += "<text x=\"\(n(x(value) + 4))\" y=\"\(n(yTop + 12))\" fill=\"#37474f\">\(e(KPIReport.text(value, unit: unit)))</text>\n"
            } else {
                svg += "<text x=\"\(n(left + 4))\" y=\"\(n(yTop + 12))\" fill=\"\(grey)\">— 无数据</text>\n"
            }
        }
        let bottom = top + rowHeight * Double(shown.count)
        svg += targetMarks(kpi, x: x, top: top, bottom: bottom)
        let hidden = row.breakdown.groups.count - shown.count
        let note = hidden > 0 ? "另有 \(hidden) 个未显示 \(hidden) more not shown" : ""
        svg += "<text x=\"\(n(left))\" y=\"\(n(bottom + 16))\" fill=\"#607d8b\">\(e(note))</text></svg>"
        return svg
    }

    /// Vertical dashed lines at the target and the warning line of a breakdown.
    static func targetMarks(_ kpi: KPI, x: (Double) -> Double, top: Double, bottom: Double) -> String {
        let n = TimelineSVG.number
        var svg = ""
        for (line, name, colour, dash) in [(kpi.target, "target", "#37474f", "5 3"), (kpi.warn, "warn", TimelineSVG.amber, "3 3")] {
            guard let line else { continue }
            svg += "<line class=\"\(name)\" x1=\"\(n(x(line.value)))\" x2=\"\(n(x(line.value)))\" y1=\"\(n(top))\" y2=\"\(n(bottom))\" stroke=\"\(colour)\" stroke-dasharray=\"\(dash)\"/>\n"
        }
        return svg
    }
}
