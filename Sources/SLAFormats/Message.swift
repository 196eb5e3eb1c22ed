import SLAEngine
import SLARules

/// Composes the text of an escalation from a template and the ticket. With no template, a sensible
/// Chinese default: 【A级投诉·首次响应超时】翠湖花园 3栋 2单元1102：… 已超时 35 分钟，负责人 张伟
public enum MessageComposer {
    public struct Context: Sendable {
        public var values: [String: String]
        public init(values: [String: String]) { self.values = values }
    }

    /// `{assignee.name}` of a ticket nobody is assigned to.
    public static let unassigned = "未指派"

    static func fields(of ticket: Ticket, engine: Engine, at now: Instant) -> TicketFields { engine.fields(of: ticket, at: now).0 }

    /// The placeholder values for a due step of a ticket.
    public static func context(engine: Engine, ticket: Ticket, step: DueStep, clock: ClockStatus?, at now: Instant) -> Context {
        let (fields, _) = engine.fields(of: ticket, at: now)
        let zone = engine.displayZone
        let policy = engine.rules.policies.first { $0.name == step.firing.policy }
        var values: [String: String] = [
            "ticket.id": ticket.id, "ticket.kind": fields.kind, "ticket.created": zone.formatShort(ticket.createdAt),
            "ticket.tags": fields.tags.joined(separator: ", "),
            "policy.name": step.firing.policy, "policy.title": policy?.title ?? step.firing.policy,
            "clock.name": step.clock, "clock.title": clock?.title ?? step.clock,
            "step": step.firing.step, "repeat": String(step.firing.repeatIndex + 1),
        ]
        for field in TicketField.allCases {
            if let value = fields.value(of: field) { values["ticket.\(field.rawValue)"] = value }
        }
        if let text = fields.text { values["ticket.text"] = text }
        // A template's `负责人 {assignee.name}` must not end in an empty name.
        values["assignee.name"] = fields.assignee.map { engine.rules.people[$0]?.displayName ?? $0 } ?? unassigned
        if let deadline = clock?.deadline { addTiming(deadline: deadline, at: now, zone: zone, to: &values) }
        return Context(values: values)
    }

    /// `{deadline}`, `{overdue}` (how long past it) and `{remaining}` (how long until it).
    static func addTiming(deadline: Instant, at now: Instant, zone: ZoneTable, to values: inout [String: String]) {
        values["deadline"] = zone.formatShort(deadline)
        let late = now - deadline
        values["overdue"] = late > 0 ? minutes(late) : "0 分钟"
        // A warning sent after the deadline (the daemon was down, the ticket was entered late) must not
        // read as if there were time left.
        values["remaining"] = late < 0 ? minutes(-late) : late == 0 ? "0 分钟" : "0 分钟（已超时 \(minutes(late))）"
    }

    /// A span as a person says it: "35 分钟", "2 小时 5 分钟", and from a day on in days and hours
    /// ("54 天 12 小时", not "1308 小时 31 分钟"): minutes no longer matter then.
    public static func minutes(_ seconds: Int) -> String {
        let total = (seconds + 59) / 60
        if total < 60 { return "\(total) 分钟" }
        let hours = total / 60, rest = total % 60
        if hours < 24 { return rest == 0 ? "\(hours) 小时" : "\(hours) 小时 \(rest) 分钟" }
        let days = hours / 24, restHours = hours % 24
        return restHours == 0 ? "\(days) 天" : "\(days) 天 \(restHours) 小时"
    }

    /// Fills `{placeholder}`s; unknown or empty ones become empty text. `{{` is a literal brace.
    public static func render(_ template: String, _ context: Context) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest.index(after: open)
            if after < rest.endIndex, rest[after] == "{" {
                out += "{"
                rest = rest[rest.index(after: after)...]
                continue
            }
            guard let close = rest[after...].firstIndex(of: "}") else {
                out += rest[open...]
                return out
            }
            out += context.values[String(rest[after..<close])] ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The title for a due step, when its template has one (DingTalk's markdown title, an e-mail's
    /// subject); nil means channels take the message's first line.
    public static func title(engine: Engine, ticket: Ticket, step: DueStep, clock: ClockStatus?, at now: Instant) -> String? {
        let policy = engine.rules.policies.first { $0.name == step.firing.policy }
        guard let name = policy?.steps[safe: step.stepIndex]?.template, let title = engine.rules.templates[name]?.title else { return nil }
        return render(title, context(engine: engine, ticket: ticket, step: step, clock: clock, at: now))
    }

    /// The message for a due step: its template, or the default.
    public static func message(engine: Engine, ticket: Ticket, step: DueStep, clock: ClockStatus?, at now: Instant) -> String {
        let context = context(engine: engine, ticket: ticket, step: step, clock: clock, at: now)
        let policy = engine.rules.policies.first { $0.name == step.firing.policy }
        if let name = policy?.steps[safe: step.stepIndex]?.template, let template = engine.rules.templates[name] {
            return render(template.body, context)
        }
        let v = context.values
        let place = [v["ticket.site"], v["ticket.building"], v["ticket.unit"]].compactMap { $0 }.joined(separator: " ")
        let late = clock?.deadline.map { now - $0 } ?? 0
        let state = late < 0 ? "剩余 \(v["remaining"] ?? "")" : "已超时 \(v["overdue"] ?? "")"
        let owner = fields(of: ticket, engine: engine, at: now).assignee == nil ? "，尚未派单" : "，负责人 \(v["assignee.name"] ?? "")"
        return "【\(v["policy.title"] ?? "")·\(v["clock.title"] ?? "")】\(place.isEmpty ? "" : place + " ")工单 \(ticket.id) \(state)\(owner)"
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
