import SLAEngine

extension PlanTrend {
    var heading: String { "演练趋势 Drill trend — " + (planTitle.map { "\(plan) \($0)" } ?? plan) }

    static func label(_ direction: Direction) -> String {
        switch direction {
        case .faster: "faster 更快"
        case .slower: "slower 更慢"
        case .steady: "steady 持平"
        case .unknown: "— 无法比较"
        }
    }

    func directionText(_ step: StepTrend) -> String {
        Self.label(step.direction) + (step.change.map { " (\(ReportText.signedDuration($0)))" } ?? "")
    }

    /// One drill's value of a step: `4m`, `12m ✗` when the step failed, `—` when missing or absent.
    func cellText(_ step: StepTrend, _ index: Int) -> String {
        guard let result = step.results[index] else { return "n/a" }
        let value = step.actuals[index].map(ReportText.duration) ?? "—"
        return result == .fail ? value + " ✗" : value
    }

    func time(_ instant: Instant) -> String { ReportText.time(instant, zone: zone.table) }

    public func markdown() -> String {
        let cell = ReportText.markdownCell
        var lines = ["# \(ReportText.markdownInline(heading))", ""]
        lines.append("最近 \(drills.count) 次演练，按启动时间排列（不含实际事件）。\(drills.count == 1 ? "The only drill" : "The last \(drills.count) drills") by opening time; real incidents are not included.")
        lines.append("")
        lines.append("| 演练 Drill | 启动 Opened | 级别 Level | 结果 Result |")
        lines.append("|---|---|---|---|")
        for drill in drills {
            lines.append("| \(cell(drill.incidentID)) | \(time(drill.openedAt)) | \(drill.level.rawValue) | \(IncidentReport.label(drill.result)) \(drill.passed)/\(drill.steps) |")
        }
        lines.append("")
        lines.append("## 步骤用时 Step times (from the declaration)")
        lines.append("")
        let columns = drills.map { cell($0.incidentID) }
        lines.append("| 步骤 Step | 标题 Title | 目标 Target | " + columns.joined(separator: " | ") + (columns.isEmpty ? "" : " | ") + "趋势 Trend |")
        lines.append("|---|---|---|" + String(repeating: "---|", count: columns.count) + "---|")
        for step in steps {
            let target = (step.targets.last ?? nil).map(ReportText.duration) ?? "—"
            let values = drills.indices.map { cellText(step, $0) }
            lines.append("| `\(ReportText.markdownInline(step.name))` | \(cell(step.title ?? "")) | \(target) | "
                + values.joined(separator: " | ") + (values.isEmpty ? "" : " | ") + "\(directionText(step)) |")
        }
        lines.append("")
        lines.append("✗ 超时或未确认 late or never confirmed. 持平 steady: within 10 % of the previous drill (at least 10s).")
        lines.append("")
        lines.append("**小结 Summary:** \(ReportText.markdownInline(summary))")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    public func json() -> String {
        let zone = zone.table
        return ReportJSON.object([
            "plan": .string(plan),
            "planTitle": .optional(planTitle),
            "timeZone": .string(zone.identifier),
            "drills": .array(drills.map { drill in
                .object([
                    "incident": .string(drill.incidentID), "openedAt": .time(drill.openedAt, zone: zone),
                    "level": .string(drill.level.rawValue), "result": .string(drill.result.rawValue),
                    "passed": .int(drill.passed), "steps": .int(drill.steps),
                ])
            }),
            "steps": .array(steps.map { step in
                .object([
                    "name": .string(step.name), "title": .optional(step.title),
                    "actuals": .array(step.actuals.map(ReportJSON.optional)),
                    "targets": .array(step.targets.map(ReportJSON.optional)),
                    "results": .array(step.results.map { ReportJSON.optional($0?.rawValue) }),
                    "direction": .string(step.direction.rawValue), "change": .optional(step.change),
                ])
            }),
            "summary": .string(summary),
        ]).rendered
    }

    public func html() -> String {
        let e = ReportText.html
        var body = "<h1>\(e(heading))</h1>\n"
        body += "<p>最近 \(drills.count) 次演练（不含实际事件）。\(drills.count == 1 ? "The only drill" : "The last \(drills.count) drills"); real incidents are not included.</p>\n"
        body += "<table class=\"drills\">\n" + ReportHTML.row(["演练 Drill", "启动 Opened", "级别 Level", "结果 Result"], header: true) + "\n"
        for drill in drills {
            body += ReportHTML.row([e(drill.incidentID), e(time(drill.openedAt)), drill.level.rawValue,
                                    "<td class=\"result \(drill.result.rawValue)\">\(e(IncidentReport.label(drill.result))) \(drill.passed)/\(drill.steps)</td>"]) + "\n"
        }
        body += "</table>\n<h2>步骤用时 Step times</h2>\n<table class=\"trend\">\n"
        body += ReportHTML.row(["步骤 Step", "标题 Title", "目标 Target"] + drills.map { e($0.incidentID) } + ["趋势 Trend"], header: true) + "\n"
        for step in steps {
            let target = (step.targets.last ?? nil).map(ReportText.duration) ?? "—"
            body += ReportHTML.row(["<code>\(e(step.name))</code>", e(step.title ?? ""), "<td class=\"num\">\(target)</td>"]
                + drills.indices.map { "<td class=\"num\(step.results[$0] == .fail ? " late" : "")\">\(e(cellText(step, $0)))</td>" }
                + ["<td class=\"direction \(step.direction.rawValue)\">\(e(directionText(step)))</td>"]) + "\n"
        }
        body += "</table>\n<p><strong>小结 Summary:</strong> \(e(summary))</p>\n"
        body += "<h2>图表 Charts</h2>\n<div class=\"charts\">\n"
        body += steps.map { TrendChartSVG(trend: self, step: $0).render() }.joined(separator: "\n")
        body += "\n</div>\n<p class=\"note\">每根柱为一次演练的实际用时，虚线为目标；红色为超时或未确认。"
        body += "Each bar is one drill's actual time; the dashed line is the target; red is late or never confirmed.</p>\n"
        let css = "<style>.charts { display: flex; flex-wrap: wrap; gap: 10px; } .charts svg { width: 270px; break-inside: avoid; }</style>\n"
        return ReportHTML.page(title: heading, body: css + body)
    }
}
