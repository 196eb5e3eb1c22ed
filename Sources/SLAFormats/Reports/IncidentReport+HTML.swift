import SLAEngine

extension IncidentReport {
    /// The report as one self-contained HTML page: header, the SVG timeline, the steps, the
    /// notifications and the totals. Inline CSS and SVG only; prints on A4.
    public func html() -> String {
        let e = ReportText.html
        var body = "<h1>\(e(kindHeading)) — \(e(planHeading))</h1>\n"
        body += isDrill ? "<div class=\"banner drill\" data-drill=\"true\">演练 DRILL — 非实际事件 not a real incident</div>\n"
                        : "<div class=\"banner real\" data-drill=\"false\">实际事件 REAL INCIDENT</div>\n"
        body += "<table class=\"fields\">\n"
        for (field, value) in headerFields { body += ReportHTML.row(["<th>\(e(field))</th>", "<td>\(e(value))</td>"]) + "\n" }
        body += "</table>\n"
        body += "<p><span class=\"overall \(result.rawValue)\" data-result=\"\(result.rawValue)\">总体结果 Overall: \(e(Self.label(result)))"
        body += " — \(count(.pass))/\(steps.count)</span></p>\n"
        body += "<h2>时间线 Timeline</h2>\n<div class=\"chart\">\n\(TimelineSVG(report: self).render())\n</div>\n"
        body += "<p class=\"note\">灰色为目标（步骤计时开始至时限），彩色为实际（至确认）；虚线为时限。"
        body += "Grey: target, from the step's clock start to its deadline. Colour: actual, to the confirmation. Dashed line: the deadline.</p>\n"
        body += "<h2>步骤 Steps</h2>\n<table class=\"steps\">\n"
        body += ReportHTML.row(["#", "步骤 Step", "标题 Title", "负责 Owner", "目标 Target", "实际 Actual", "余量 Margin",
                                "结果 Result", "确认人 Confirmed by", "备注 Note"], header: true) + "\n"
        for (index, step) in steps.enumerated() {
            let margin = step.margin.map(ReportText.signedDuration) ?? "—"
            body += ReportHTML.row([
                "<td class=\"num\">\(index + 1)</td>", "<code>\(e(step.name))</code>", e(step.title ?? ""), e(step.owner),
                "<td class=\"num\">\(targetHTML(step))</td>",
                "<td class=\"num\">\(step.actual(from: openedAt).map(ReportText.duration) ?? "—")</td>",
                "<td class=\"num\(step.margin.map { $0 < 0 } == true ? " late" : "")\">\(margin)</td>",
                "<td class=\"result \(step.result.rawValue)\">\(e(Self.label(step.result)))</td>",
                e(step.confirmer ?? "—"), e(step.note ?? "").replacingNewlines(),
            ]) + "\n"
        }
        body += "</table>\n<p class=\"note\">目标与实际均从事件启动起算；余量为负即超时。Target and actual run from the declaration; a negative margin is late.</p>\n"
        body += "<h2>通知 Notifications</h2>\n<p>\(e(notificationSummary))</p>\n"
        if !notifications.isEmpty {
            body += "<table class=\"notifications\">\n"
            body += ReportHTML.row(["步骤 Step", "类型 Kind", "渠道 Channel", "接收人 Recipients", "发出 Queued", "送达 Delivered", "尝试 Attempts"], header: true) + "\n"
            for record in notifications {
                let delivered = record.deliveredAt == nil && record.state == "dead" ? "<td class=\"late\">\(e(deliveredText(record)))</td>" : e(deliveredText(record))
                body += ReportHTML.row([
                    "<code>\(e(record.step))</code>", e(record.kind), e(record.channel), e(record.recipients.joined(separator: ", ")),
                    e(time(record.queuedAt)), delivered, "<td class=\"num\">\(record.attempts)</td>",
                ]) + "\n"
            }
            body += "</table>\n"
        }
        body += "<h2>合计 Totals</h2>\n<ul>\n"
        body += "<li>步骤 Steps: \(steps.count) — 通过 passed \(count(.pass)), 未通过 failed \(count(.fail)), 进行中 open \(count(.open))</li>\n"
        body += "<li>总体结果 Overall: <span class=\"result \(result.rawValue)\">\(e(Self.label(result)))</span></li>\n</ul>\n"
        body += "<footer>slad · \(e(incidentID)) · 生成 generated \(e(time(generatedAt))) (\(e(zone.table.identifier)))</footer>"
        return ReportHTML.page(title: "\(kindHeading) — \(planHeading) — \(incidentID)", body: body)
    }
}

extension IncidentReport {
    /// The target, with the raise that started a step's clock on a second, smaller line.
    func targetHTML(_ step: Step) -> String {
        let target = ReportText.duration(step.target(from: openedAt))
        guard step.since != openedAt else { return target }
        return "\(target)<br><span class=\"note\">升级后起算 clock from the raise at +\(ReportText.duration(step.since - openedAt)): "
            + "\(ReportText.duration(step.within))</span>"
    }
}

extension String {
    /// Escaped text with its line breaks shown as `<br>`.
    func replacingNewlines() -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "<br>")
    }
}
