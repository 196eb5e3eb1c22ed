import SLAEngine

extension IncidentReport {
    /// The report as Markdown (GitHub tables). Operator text is escaped so that a pipe or a line break in
    /// a note never breaks a table.
    public func markdown() -> String {
        let cell = ReportText.markdownCell
        var lines: [String] = []
        lines.append("# \(kindHeading) — \(ReportText.markdownInline(planHeading))")
        lines.append("")
        lines.append(isDrill ? "> **演练 DRILL** — 本报告为演练，不是实际事件 (an exercise, not a real incident)."
                             : "> **实际事件 REAL INCIDENT** — 本报告为实际事件 (not a drill).")
        lines.append("")
        lines.append("| 项目 Field | 内容 Value |")
        lines.append("|---|---|")
        for (field, value) in headerFields { lines.append("| \(field) | \(cell(value)) |") }
        lines.append("")
        lines.append("## 步骤 Steps")
        lines.append("")
        lines.append("| # | 步骤 Step | 标题 Title | 负责 Owner | 目标 Target | 实际 Actual | 余量 Margin | 结果 Result | 确认人 Confirmed by | 备注 Note |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|")
        for (index, step) in steps.enumerated() {
            let row = [
                "\(index + 1)", "`\(step.name)`", cell(step.title ?? ""), cell(step.owner), cell(targetText(step)),
                step.actual(from: openedAt).map(ReportText.duration) ?? "—",
                step.margin.map(ReportText.signedDuration) ?? "—",
                "**\(Self.label(step.result))**", cell(step.confirmer ?? "—"), cell(step.note ?? ""),
            ]
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("目标与实际均从事件启动起算；余量为负即超时。Target and actual run from the declaration; a negative margin is late.")
        lines.append("")
        lines.append("## 通知 Notifications")
        lines.append("")
        lines.append(ReportText.markdownInline(notificationSummary))
        if !notifications.isEmpty {
            lines.append("")
            lines.append("| 步骤 Step | 类型 Kind | 渠道 Channel | 接收人 Recipients | 发出 Queued | 送达 Delivered | 尝试 Attempts |")
            lines.append("|---|---|---|---|---|---|---|")
            for record in notifications {
                let row = [
                    "`\(ReportText.markdownInline(record.step))`", cell(record.kind), cell(record.channel),
                    cell(record.recipients.joined(separator: ", ")), time(record.queuedAt), cell(deliveredText(record)),
                    "\(record.attempts)",
                ]
                lines.append("| " + row.joined(separator: " | ") + " |")
            }
        }
        lines.append("")
        lines.append("## 合计 Totals")
        lines.append("")
        lines.append("- 步骤 Steps: \(steps.count) — 通过 passed \(count(.pass)), 未通过 failed \(count(.fail)), 进行中 open \(count(.open))")
        lines.append("- 总体结果 Overall: **\(Self.label(result))**")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    var kindHeading: String { isDrill ? "应急演练报告 Drill report" : "应急事件报告 Incident report" }

    var planHeading: String { planTitle.map { "\(plan) \($0)" } ?? plan }

    static func label(_ result: Result) -> String {
        switch result {
        case .pass: "PASS 通过"
        case .fail: "FAIL 未通过"
        case .open: "OPEN 进行中"
        }
    }

    /// The header as (field, value) pairs; shared by Markdown and HTML.
    var headerFields: [(String, String)] {
        var fields: [(String, String)] = [
            ("事件 Incident", incidentID),
            ("预案 Plan", planHeading),
            ("类型 Type", isDrill ? "演练 DRILL" : "实际事件 REAL INCIDENT"),
        ]
        let place = [site, building].compactMap { $0 }.joined(separator: " / ")
        fields.append(("地点 Site", place.isEmpty ? "—" : place))
        fields.append(("级别 Level", levelText))
        fields.append(("启动 Opened", time(openedAt) + (openedBy.map { " by \($0)" } ?? "")))
        if let closedAt {
            fields.append(("结束 Closed", time(closedAt) + (closedBy.map { " by \($0)" } ?? "")))
            fields.append(("结束原因 Reason", closeReason ?? "—"))
        } else {
            fields.append(("结束 Closed", "未结束 still open"))
        }
        fields.append(("总时长 Duration", durationText))
        fields.append(("结果 Result", "\(Self.label(result)) (\(count(.pass))/\(steps.count) steps passed)"))
        fields.append(("生成 Generated", time(generatedAt) + " (\(zone.table.identifier))"))
        return fields
    }

    var levelText: String {
        var text = "\(level.rawValue) 级"
        guard levelChanges.count > 1 else { return text }
        let history = levelChanges.enumerated().map { index, change in
            (index == 0 ? "opened at \(change.level.rawValue)" : "raised to \(change.level.rawValue) at \(time(change.at))")
                + (index > 0 ? change.by.map { " by \($0)" } ?? "" : "")
        }
        text += " (" + history.joined(separator: "; ") + ")"
        return text
    }

    var durationText: String {
        switch durationEnd {
        case .closed: "\(ReportText.duration(duration)) (启动至结束 declaration to close)"
        case .lastConfirmation: "\(ReportText.duration(duration)) (启动至最后确认 declaration to last confirmation; still open)"
        case .stillOpen: "\(ReportText.duration(duration)) so far (未结束 still open)"
        }
    }

    /// `30m`, or for a step a raise brought in `1h12m (clock from the raise at +12m: 60m)`.
    func targetText(_ step: Step) -> String {
        let target = ReportText.duration(step.target(from: openedAt))
        guard step.since != openedAt else { return target }
        return "\(target) (升级后起算 clock from the raise at +\(ReportText.duration(step.since - openedAt)): \(ReportText.duration(step.within)))"
    }

    func deliveredText(_ record: IncidentNotificationRecord) -> String {
        if let deliveredAt = record.deliveredAt { return time(deliveredAt) }
        let why = record.reason.map { ": \($0)" } ?? ""
        switch record.state {
        case "dead": return "未送达 dead\(why)"
        case "pending": return "待发送 pending\(why)"
        default: return record.state
        }
    }

    var notificationSummary: String {
        let counts = notificationCounts
        let others = counts.keys.filter { !["sent", "pending", "dead"].contains($0) }.sorted()
            .map { ", \(counts[$0]!) \($0)" }.joined()
        var reasons: [String: Int] = [:]
        for record in notifications where record.state != "sent" { if let reason = record.reason { reasons[reason, default: 0] += 1 } }
        let why = reasons.sorted { $0.key < $1.key }.map { " 未送达原因 Why not sent (\($0.value)): \($0.key)." }.joined()
        return "\(notifications.count) 条通知 notifications: \(counts["sent"]!) sent 已送达, "
            + "\(counts["pending"]!) pending 待发送, \(counts["dead"]!) dead 未送达\(others).\(why)"
    }
}
