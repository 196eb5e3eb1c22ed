import SLAEngine
import SLARules

/// The text of an incident notice: the step's owner told of the step (assigned), or the plan's
/// `on overdue` recipients told a step is late. A drill's text always starts with 【演练】, whatever the
/// template says, so that nobody mistakes a drill for a real emergency.
extension MessageComposer {
    public static let drillMark = "【演练】"

    /// The placeholder values for an incident notice.
    public static func context(engine: Engine, incident: Incident, evaluation: IncidentEvaluation, notice: IncidentNotice,
                               at now: Instant) -> Context {
        let zone = engine.displayZone
        let plan = engine.rules.plans.first { $0.name == incident.plan }
        let status = evaluation.steps.first { $0.name == notice.step }
        var values: [String: String] = [
            "plan.name": incident.plan, "plan.title": plan?.title ?? incident.plan,
            "incident.id": incident.id, "incident.level": evaluation.level.rawValue,
            "incident.started": zone.formatShort(incident.openedAt),
            "step": notice.step, "step.title": status?.title ?? notice.step,
            "drill": incident.isDrill ? drillMark : "",
        ]
        if let site = incident.site { values["incident.site"] = site }
        if let building = incident.building { values["incident.building"] = building }
        if let deadline = status?.deadline { addTiming(deadline: deadline, at: now, zone: zone, to: &values) }
        return Context(values: values)
    }

    /// The message for an incident notice: the `on overdue` template for an overdue notice when the plan
    /// names one, otherwise a Chinese default: 【电梯困人·I级】7栋 步骤「维保人员到场」已超时 5 分钟，请立即处理
    public static func message(engine: Engine, incident: Incident, evaluation: IncidentEvaluation, notice: IncidentNotice,
                               at now: Instant) -> String {
        let context = context(engine: engine, incident: incident, evaluation: evaluation, notice: notice, at: now)
        let v = context.values
        let plan = engine.rules.plans.first { $0.name == incident.plan }
        var text: String
        if notice.kind == .overdue, let name = plan?.onOverdue.first(where: { $0.template != nil })?.template,
           let template = engine.rules.templates[name] {
            text = render(template.body, context)
        } else {
            let place = [v["incident.site"], v["incident.building"]].compactMap { $0 }.joined(separator: " ")
            let head = "【\(v["plan.title"] ?? "")·\(v["incident.level"] ?? "")级】\(place.isEmpty ? "" : place + " ")"
            switch notice.kind {
            case .assigned:
                text = head + "请负责步骤「\(v["step.title"] ?? "")」，时限 \(v["deadline"] ?? "")（事件 \(incident.id)）"
            case .overdue:
                text = head + "步骤「\(v["step.title"] ?? "")」已超时 \(v["overdue"] ?? "")，请立即处理（事件 \(incident.id)）"
            }
        }
        if incident.isDrill, !text.hasPrefix(drillMark) { text = drillMark + text }
        return text
    }
}
