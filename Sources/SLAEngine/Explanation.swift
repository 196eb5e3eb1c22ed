import SLAClassify
import SLARules

/// Why a ticket took the policy it took, and what each step of its ladder will do: what `slad explain`
/// prints.
public struct Explanation: Sendable {
    public let evaluation: Evaluation
    /// Every policy tried, in order, up to and including the one that matched.
    public let tried: [PolicyTrial]
    public let steps: [StepPlan]
    /// How the ticket was routed when it came (nil when the rules have no routes).
    public var routing: RouteExplanation? = nil
}

public struct PolicyTrial: Sendable, Hashable {
    public let policy: String
    public let title: String?
    public let matched: Bool
    /// The `when` expression with each comparison marked true or false for this ticket.
    public let reasoning: String
}

public struct StepPlan: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Fired at its instant already (in `fired`).
        case fired
        /// Due now and not yet fired.
        case due
        /// Held by a quiet window until it ends.
        case held
        /// Will fire at `at` if nothing changes.
        case scheduled
        /// Its clock is pending, paused or stopped, so it will not fire as things stand.
        case idle
    }
    public let index: Int
    public let key: String
    public let clock: String
    public let state: State
    /// The instant it fires (or fired, or fell due); nil when idle with no deadline.
    public let at: Instant?
    public let repeating: Repeat?
    public let targets: [NotifyTarget]
    public let channels: [String]
    /// Whom it reaches at `at` (or now when idle).
    public let recipients: StepRecipients
    /// Why an idle step will not fire.
    public let reason: String?
}

extension Engine {
    public func explain(_ ticket: Ticket, at now: Instant, fired: [Firing] = []) -> Explanation {
        let evaluation = evaluate(ticket, at: now, fired: fired)
        let state = TicketReplay.state(of: ticket, at: now)
        var tried: [PolicyTrial] = []
        for compiled in policies {
            let policy = compiled.policy
            let matched = FieldMatcher.matches(policy.match, fields: state.fields, status: state.status)
            tried.append(PolicyTrial(policy: policy.name, title: policy.title, matched: matched,
                                     reasoning: Self.reason(policy.match, fields: state.fields, status: state.status)))
            if matched { break }
        }
        guard let index = policies.firstIndex(where: { $0.policy.name == evaluation.policy }) else {
            return Explanation(evaluation: evaluation, tried: tried, steps: [])
        }
        let compiled = policies[index]
        let runs = runClocks(compiled, ticket: ticket, now: now)
        var steps: [StepPlan] = []
        for (stepIndex, step) in compiled.policy.steps.enumerated() {
            let key = compiled.stepKeys[stepIndex]
            let run = runs[compiled.stepClocks[stepIndex]]
            var instant: Instant?
            switch step.at {
            case let .offset(_, seconds): instant = run.instant(consuming: run.budget).map { $0 + seconds }
            case let .share(_, percent): instant = run.instant(consuming: run.budget * percent / 100)
            }
            let stepState: StepPlan.State
            var reason: String?
            if let due = evaluation.due.first(where: { $0.stepIndex == stepIndex }) {
                stepState = .due
                instant = due.dueAt
            } else if let held = evaluation.held.first(where: { $0.stepIndex == stepIndex }) {
                stepState = .held
                instant = held.dueAt
            } else if fired.contains(where: { $0.policy == compiled.policy.name && $0.step == key && $0.cycle == evaluation.cycle }) {
                stepState = .fired
            } else if run.isActive, let at = instant, at > now {
                stepState = .scheduled
            } else {
                stepState = .idle
                if !run.isStarted {
                    reason = "clock \(step.at.clock) has not started (it starts at \(run.plan.start.rawValue))"
                } else if run.isStopped {
                    reason = "clock \(step.at.clock) stopped" + (run.stoppedBy.map { stop in
                        stop == run.plan.stop || !LifecycleOrder.meets(stop, run.plan.stop)
                            ? " (\(stop.rawValue))"
                            : " (\(stop.rawValue), which comes after \(run.plan.stop.rawValue))"
                    } ?? "")
                } else if !run.isActive {
                    reason = "clock \(step.at.clock) is paused"
                } else {
                    reason = "its time has passed"
                }
            }
            let recipients = self.recipients(targets: step.targets, channels: step.channels, assignee: state.fields.assignee,
                                             policyTeam: compiled.policy.team, at: max(instant ?? now, now))
            steps.append(StepPlan(index: stepIndex, key: key, clock: step.at.clock, state: stepState, at: instant,
                                  repeating: step.repeating, targets: step.targets, channels: step.channels,
                                  recipients: recipients, reason: reason))
        }
        return Explanation(evaluation: evaluation, tried: tried, steps: steps, routing: explainRouting(ticket))
    }

    /// Renders an expression with each comparison's outcome: `kind = complaint ✓ and grade = A ✗ (B)`.
    static func reason(_ expression: MatchExpression, fields: TicketFields, status: String) -> String {
        switch expression {
        case .always:
            return "(no condition) ✓"
        case let .comparison(field, isNegated, values):
            let hit = FieldMatcher.matches(expression, fields: fields, status: status)
            let written: String
            if values.count == 1 {
                written = "\(field.rawValue) \(isNegated ? "!=" : "=") \(values[0])"
            } else {
                written = "\(field.rawValue) \(isNegated ? "not in" : "in") [\(values.joined(separator: ", "))]"
            }
            let actual: String
            switch field {
            case .tags: actual = fields.tags.isEmpty ? "no tags" : fields.tags.joined(separator: ", ")
            case .status: actual = status
            default: actual = fields.value(of: field) ?? "unset"
            }
            return "\(written) \(hit ? "✓" : "✗") (\(actual))"
        case let .textContains(keywords):
            let text = TextNormalizer.normalize(fields.text ?? "")
            let found = keywords.filter { text.contains($0) }
            return "\(expression) \(found.isEmpty ? "✗ (no keyword in the text)" : "✓ (\(found.map { "\"\($0)\"" }.joined(separator: ", ")))")"
        case let .and(left, right):
            return "\(group(left, fields, status, inside: "and")) and \(group(right, fields, status, inside: "and"))"
        case let .or(left, right):
            return "\(group(left, fields, status, inside: "or")) or \(group(right, fields, status, inside: "or"))"
        case let .not(inner):
            return "not (\(reason(inner, fields: fields, status: status)))"
        }
    }

    private static func group(_ expression: MatchExpression, _ fields: TicketFields, _ status: String, inside: String) -> String {
        let text = reason(expression, fields: fields, status: status)
        switch (expression, inside) {
        case (.or, "and"), (.and, "or"): return "(\(text))"
        default: return text
        }
    }
}
