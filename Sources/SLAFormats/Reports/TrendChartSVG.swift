/// One step's small bar chart in a trend: a bar per drill (its actual time), a dashed target line.
/// Marked `<g class="trend-step" data-step="…" data-direction="…">`.
struct TrendChartSVG {
    let trend: PlanTrend
    let step: PlanTrend.StepTrend

    func render() -> String {
        let e = ReportText.html
        let width = 270, height = 150, left = 44, right = 262, top = 30, bottom = 118
        let values = step.actuals.compactMap { $0 } + step.targets.compactMap { $0 }
        let tick = TimelineSVG.tickStep(span: max(1, values.max() ?? 1))
        let yMax = max(tick, ((values.max() ?? 1) + tick - 1) / tick * tick)
        func y(_ seconds: Int) -> Int { bottom - (bottom - top) * max(0, seconds) / yMax }
        var svg = "<svg class=\"trend-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"10\">"
        svg += "<g class=\"trend-step\" data-step=\"\(e(step.name))\" data-direction=\"\(step.direction.rawValue)\">\n"
        svg += "<text x=\"4\" y=\"14\" font-size=\"12\" font-weight=\"bold\">\(e(TimelineSVG.clip(step.name, 18))) \(e(TimelineSVG.clip(step.title ?? "", 10)))</text>"
        svg += "<text x=\"\(right)\" y=\"14\" text-anchor=\"end\" fill=\"#455a64\">\(e(PlanTrend.label(step.direction)))</text>\n"
        var value = 0
        while value <= yMax {
            svg += "<line x1=\"\(left)\" x2=\"\(right)\" y1=\"\(y(value))\" y2=\"\(y(value))\" stroke=\"#eceff1\"/>"
            svg += "<text x=\"\(left - 4)\" y=\"\(y(value) + 3)\" text-anchor=\"end\" fill=\"#607d8b\">\(value == 0 ? "0" : ReportText.duration(value))</text>"
            value += tick * max(1, yMax / tick / 4)
        }
        let slots = max(1, trend.drills.count)
        let slot = (right - left) / slots
        for (index, drill) in trend.drills.enumerated() {
            let x = left + slot * index + slot / 4
            if let actual = step.actuals[index] {
                let colour = step.results[index] == .fail ? TimelineSVG.red : TimelineSVG.green
                svg += "<rect class=\"bar\" data-drill=\"\(e(drill.incidentID))\" x=\"\(x)\" y=\"\(y(actual))\" width=\"\(slot / 2)\""
                svg += " height=\"\(max(1, bottom - y(actual)))\" fill=\"\(colour)\"><title>\(e(drill.incidentID)): \(ReportText.duration(actual))</title></rect>"
            } else if step.results[index] != nil {
                svg += "<text x=\"\(x + slot / 4)\" y=\"\(bottom - 4)\" text-anchor=\"middle\" fill=\"\(TimelineSVG.red)\">✗</text>"
            }
            // Drill ids are long (D-20261201-200000-elevator-trapped): label each bar with its date, MM-DD;
            // the bar's tooltip and the table above carry the id.
            let date = String(ReportText.time(drill.openedAt, zone: trend.zone.table).prefix(10).suffix(5))
            svg += "<text x=\"\(x + slot / 4)\" y=\"\(bottom + 13)\" text-anchor=\"middle\" fill=\"#455a64\">\(e(date))</text>"
            if let target = step.targets[index] {
                svg += "<line class=\"target\" x1=\"\(left + slot * index + 2)\" x2=\"\(left + slot * (index + 1) - 2)\" y1=\"\(y(target))\" y2=\"\(y(target))\""
                svg += " stroke=\"#37474f\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>"
            }
        }
        svg += "\n<line x1=\"\(left)\" x2=\"\(right)\" y1=\"\(bottom)\" y2=\"\(bottom)\" stroke=\"#90a4ae\"/>"
        svg += "<text x=\"\(left)\" y=\"\(height - 4)\" fill=\"#607d8b\">\(e(TimelineSVG.clip(trend.summaryOfStep(step), 44)))</text>"
        svg += "</g></svg>"
        return svg
    }
}

extension PlanTrend {
    func summaryOfStep(_ step: StepTrend) -> String {
        (step.targets.last ?? nil).map { "target 目标 \(ReportText.duration($0))" } ?? ""
    }
}
