import SLAEngine

/// A composed message and where its action links go (the template's `{actions}`, as a UTF-8 offset into
/// `text`; nil puts them at the end). The links are never part of `text`: each channel renders them
/// itself, outside the escaped message, so nothing a resident typed can pose as one.
public struct MessageParts: Sendable, Hashable {
    public let text: String
    public let actionsAt: Int?

    public init(text: String, actionsAt: Int?) {
        self.text = text
        self.actionsAt = actionsAt
    }
}

extension MessageComposer {
    /// The placeholder that places the action links.
    public static let actionsPlaceholder = "{actions}"

    /// Renders a template split at its first `{actions}`: each half on its own, so no value can move the
    /// split. `{{actions}` is a literal brace and not the placeholder.
    static func renderParts(_ template: String, _ context: Context) -> MessageParts {
        guard let split = placeholderRange(in: template) else { return MessageParts(text: render(template, context), actionsAt: nil) }
        let before = render(String(template[..<split.lowerBound]), context)
        let after = render(String(template[split.upperBound...]), context)
        return MessageParts(text: before + after, actionsAt: before.utf8.count)
    }

    /// The first `{actions}` that is a placeholder (not preceded by an escaping `{`).
    static func placeholderRange(in template: String) -> Range<String.Index>? {
        var searchFrom = template.startIndex
        while let found = template.range(of: actionsPlaceholder, range: searchFrom..<template.endIndex) {
            var braces = 0
            var index = found.lowerBound
            while index > template.startIndex, template[template.index(before: index)] == "{" {
                braces += 1
                index = template.index(before: index)
            }
            if braces % 2 == 0 { return found }
            searchFrom = found.upperBound
        }
        return nil
    }

    /// A due step's message with the place of its action links.
    public static func messageParts(engine: Engine, ticket: Ticket, step: DueStep, clock: ClockStatus?, at now: Instant) -> MessageParts {
        let policy = engine.rules.policies.first { $0.name == step.firing.policy }
        if let name = policy?.steps[safe: step.stepIndex]?.template, let template = engine.rules.templates[name] {
            return renderParts(template.body, context(engine: engine, ticket: ticket, step: step, clock: clock, at: now))
        }
        return MessageParts(text: message(engine: engine, ticket: ticket, step: step, clock: clock, at: now), actionsAt: nil)
    }

    /// An incident notice's message with the place of its action links (a drill's mark comes first).
    public static func messageParts(engine: Engine, incident: Incident, evaluation: IncidentEvaluation, notice: IncidentNotice,
                                    at now: Instant) -> MessageParts {
        let plan = engine.rules.plans.first { $0.name == incident.plan }
        guard notice.kind == .overdue, let name = plan?.onOverdue.first(where: { $0.template != nil })?.template,
              let template = engine.rules.templates[name] else {
            return MessageParts(text: message(engine: engine, incident: incident, evaluation: evaluation, notice: notice, at: now), actionsAt: nil)
        }
        let parts = renderParts(template.body, context(engine: engine, incident: incident, evaluation: evaluation, notice: notice, at: now))
        guard incident.isDrill, !parts.text.hasPrefix(drillMark) else { return parts }
        return MessageParts(text: drillMark + parts.text, actionsAt: parts.actionsAt.map { $0 + drillMark.utf8.count })
    }
}
