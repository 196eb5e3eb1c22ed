import SLAEngine

/// The report's timeline as inline SVG: x = time from the declaration; one row per step with the
/// target bar (the step's clock start → its deadline) and the actual bar (clock start → confirmation),
/// green on time, red late or missing, amber while open. Every row is a `<g class="step"
/// data-step="…" data-result="pass|fail|open">` so that tests and tools can check it.
struct TimelineSVG {
    static let width = 860, labelWidth = 190, plotLeft = 200, plotRight = 760
    static let rowHeight = 38, top = 44, green = "#2e7d32", red = "#c62828", amber = "#ef8f00", targetFill = "#b0bec5"

    let report: IncidentReport

    /// Tick spacing in seconds: the smallest "nice" step giving at most eight intervals.
    static func tickStep(span: Int) -> Int {
        let nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800]
        return nice.first { (span + $0 - 1) / $0 <= 8 } ?? max(1, (span + 7) / 8)
    }

    /// Where the actual bar of an unconfirmed step ends: the close, or the report's generation.
    var endOfRecord: Instant { report.closedAt ?? report.generatedAt }

    var span: Int {
        let ends = report.steps.flatMap { [$0.deadline, $0.confirmedAt ?? endOfRecord] }
        return max(1, (ends.map { $0 - report.openedAt }.max() ?? 1))
    }

    func render() -> String {
        let e = ReportText.html
        let step = Self.tickStep(span: span)
        let axisMax = max(step, (span + step - 1) / step * step)
        let plotWidth = Double(Self.plotRight - Self.plotLeft)
        func x(_ seconds: Int) -> String { Self.number(Double(Self.plotLeft) + plotWidth * Double(max(0, seconds)) / Double(axisMax)) }
        func w(_ from: Int, _ to: Int) -> String { Self.number(max(1.5, plotWidth * Double(max(0, to - from)) / Double(axisMax))) }
        let height = Self.top + Self.rowHeight * report.steps.count + 56
        let bottom = Self.top + Self.rowHeight * report.steps.count
        var svg = "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width) \(height)\""
        svg += " width=\"100%\" role=\"img\" aria-label=\"步骤时间线 Step timeline\" data-axis-max=\"\(axisMax)\""
        svg += " font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<text x=\"\(Self.plotLeft)\" y=\"14\" font-size=\"11\" fill=\"#455a64\">自启动起 time from the declaration</text>\n"
        svg += "<g class=\"axis\">\n"
        var tick = 0
        while tick <= axisMax {
            let label = tick == 0 ? "0" : ReportText.duration(tick)
            svg += "<line class=\"tick\" x1=\"\(x(tick))\" x2=\"\(x(tick))\" y1=\"\(Self.top - 12)\" y2=\"\(bottom)\" stroke=\"#cfd8dc\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(x(tick))\" y=\"\(Self.top - 16)\" text-anchor=\"middle\" fill=\"#455a64\" data-seconds=\"\(tick)\">\(label)</text>\n"
            tick += step
        }
        svg += "</g>\n"
        for (index, row) in report.steps.enumerated() {
            let y = Self.top + Self.rowHeight * index
            let start = row.since - report.openedAt, deadline = row.deadline - report.openedAt
            let end = (row.confirmedAt ?? endOfRecord) - report.openedAt
            let colour = row.result == .pass ? Self.green : row.result == .fail ? Self.red : Self.amber
            let state = row.confirmedAt == nil ? (row.result == .open ? "open" : "missing") : (row.result == .pass ? "on-time" : "late")
            svg += "<g class=\"step\" data-step=\"\(e(row.name))\" data-result=\"\(row.result.rawValue)\">\n"
            if index % 2 == 0 {
                svg += "<rect x=\"0\" y=\"\(y)\" width=\"\(Self.width)\" height=\"\(Self.rowHeight)\" fill=\"#f5f7f8\"/>"
            }
            svg += "<text x=\"8\" y=\"\(y + 16)\" font-weight=\"bold\">\(e(Self.clip(row.name, 22)))</text>"
            svg += "<text x=\"8\" y=\"\(y + 31)\" font-size=\"11\" fill=\"#546e7a\">\(e(Self.clip(row.title ?? "", 14)))</text>\n"
            svg += "<rect class=\"target\" x=\"\(x(start))\" y=\"\(y + 7)\" width=\"\(w(start, deadline))\" height=\"10\" fill=\"\(Self.targetFill)\">"
            svg += "<title>target \(ReportText.duration(deadline))</title></rect>"
            svg += "<line class=\"deadline\" x1=\"\(x(deadline))\" x2=\"\(x(deadline))\" y1=\"\(y + 4)\" y2=\"\(y + 34)\" stroke=\"#37474f\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>\n"
            let fill = state == "missing" ? "none" : colour
            svg += "<rect class=\"actual \(state)\" x=\"\(x(start))\" y=\"\(y + 21)\" width=\"\(w(start, end))\" height=\"10\" fill=\"\(fill)\""
            svg += " stroke=\"\(colour)\" stroke-width=\"1.5\"\(state == "missing" ? " stroke-dasharray=\"4 2\"" : "")>"
            svg += "<title>actual \(row.confirmedAt == nil ? "not confirmed" : ReportText.duration(end))</title></rect>"
            if row.confirmedAt != nil {
                svg += "<circle class=\"confirmation\" cx=\"\(x(end))\" cy=\"\(y + 26)\" r=\"4\" fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"1\"/>"
            }
            let verdict = row.margin.map { ReportText.signedDuration($0) } ?? (state == "missing" ? "missing" : "open")
            svg += "\n<text class=\"verdict\" x=\"\(Self.plotRight + 8)\" y=\"\(y + 23)\" fill=\"\(colour)\" font-weight=\"bold\">"
            svg += "\(row.result.rawValue.uppercased()) \(verdict)</text>\n</g>\n"
        }
        let legendY = bottom + 26
        svg += "<g class=\"legend\" font-size=\"11\">"
        svg += Self.swatch(x: Self.plotLeft, y: legendY, fill: Self.targetFill, label: "目标 target")
        svg += Self.swatch(x: Self.plotLeft + 120, y: legendY, fill: Self.green, label: "按时 on time")
        svg += Self.swatch(x: Self.plotLeft + 240, y: legendY, fill: Self.red, label: "超时/未确认 late or missing")
        svg += Self.swatch(x: Self.plotLeft + 440, y: legendY, fill: Self.amber, label: "进行中 open")
        svg += "</g>\n</svg>"
        return svg
    }

    static func swatch(x: Int, y: Int, fill: String, label: String) -> String {
        "<rect x=\"\(x)\" y=\"\(y - 9)\" width=\"14\" height=\"10\" fill=\"\(fill)\"/><text x=\"\(x + 19)\" y=\"\(y)\">\(ReportText.html(label))</text>"
    }

    /// A coordinate with at most one decimal, so that output is stable.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// Long operator text is cut with an ellipsis so that it stays in the label column.
    static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
