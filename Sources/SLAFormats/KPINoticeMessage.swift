import SLAEngine
import SLARules

/// The text of a KPI warning, its repeats and its all-clear (issue 14), in the operators' language.
///
///     【KPI 预警】维修24小时完成率 · 翠湖花园：89.5%（近 30 天，200 单），低于目标 ≥ 93%。
///     低于 95% 预警；来源：《物业服务标准》5.2
public enum KPINoticeMessage {
    public static func text(kpi: KPI, value: KPIGroupValue, notice: KPIAlarmNotice, since: Instant?, rules: RuleSet,
                            zone: ZoneTable) -> String {
        let unit = kpi.measure.unit
        let name = kpi.title ?? kpi.name
        let group = KPIText.group(value.group, kpi.grouping, rules: rules)
        let shown = "\(KPIText.value(value.value, unit))（\(KPIText.window(kpi.window))，\(value.sample) \(sampleWord(kpi.measure))）"
        var lines: [String] = []
        switch notice {
        case let .entered(level), let .repeated(level):
            let heading = if case .repeated = notice { "【KPI 预警·持续】" } else { level == .breached ? "【KPI 未达标】" : "【KPI 预警】" }
            let line = level == .breached ? kpi.target : kpi.warn
            let side = (line?.higherIsBetter ?? kpi.higherIsBetter) ? "低于" : "高于"
            let crossed = line.map { level == .breached ? KPIText.target($0, unit) : "预警线 " + KPIText.value($0.value, unit) } ?? ""
            lines.append("\(heading)\(name) · \(group)：\(shown)，\(side)\(crossed)。")
            if case .repeated = notice, let since { lines.append("自 \(zone.formatShort(since)) 起一直未恢复。") }
        case .cleared:
            lines.append("【KPI 恢复】\(name) · \(group)：\(shown)，已恢复正常。")
        }
        // The lines not already named in the first line.
        var context: [String] = []
        let named: KPILevel? = switch notice {
        case let .entered(level), let .repeated(level): level
        case .cleared: nil
        }
        if let target = kpi.target, named != .breached { context.append(KPIText.target(target, unit)) }
        if let warn = kpi.warn, named != .warning { context.append(KPIText.warn(warn, unit)) }
        if let source = kpi.source { context.append("来源：\(source)") }
        if !context.isEmpty { lines.append(context.joined(separator: "；")) }
        return lines.joined(separator: "\n")
    }

    /// A short title for channels that show one (an e-mail's subject, a DingTalk card).
    public static func title(kpi: KPI, value: KPIGroupValue, notice: KPIAlarmNotice, rules: RuleSet) -> String {
        let what = if case .cleared = notice { "KPI 恢复" } else { "KPI 预警" }
        return "\(what)：\(kpi.title ?? kpi.name) \(KPIText.group(value.group, kpi.grouping, rules: rules)) \(KPIText.value(value.value, kpi.measure.unit))"
    }

    static func sampleWord(_ measure: KPIMeasure) -> String {
        switch measure {
        case .satisfaction, .satisfiedShare: "次回访"
        default: "单"
        }
    }
}
