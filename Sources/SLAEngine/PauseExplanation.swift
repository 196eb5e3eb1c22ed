import SLARules

/// Why each clock of a ticket stands still or keeps running: the answer to "I paused it, did the clocks
/// stop?". A `paused` event sets a status; the policy's `pause while` decides whether its clocks stop.
public struct ClockPause: Sendable, Hashable {
    public let name: String
    public let title: String?
    /// `paused` or `running` for a clock that has started and not stopped; otherwise the clock's state
    /// (`pending`, `met`, `breached`).
    public let state: String
    public let reason: String
}

extension Engine {
    /// For each clock of the ticket's policy at `now`, whether the pause holds it and why. Empty when no
    /// policy applies.
    public func pauseExplanation(_ ticket: Ticket, evaluation: Evaluation, at now: Instant) -> [ClockPause] {
        guard let name = evaluation.policy, let index = policyIndexByName[name] else { return [] }
        let compiled = policies[index]
        let status = evaluation.status
        let paused = isPaused(compiled, fields: fields(of: ticket, at: now).fields, status: status)
        let why = Self.pauseReason(policy: compiled.policy, status: status, paused: paused)
        return evaluation.clocks.map { clock in
            let state: String
            let reason: String
            if clock.startedAt == nil {
                state = clock.state.rawValue
                reason = "not started yet, so nothing to pause"
            } else if clock.isStopped {
                state = clock.state.rawValue
                reason = "already stopped (\(clock.state == .met ? "met" : "breached")), so nothing to pause"
            } else {
                state = paused ? "paused" : "running"
                reason = why
            }
            return ClockPause(name: clock.name, title: clock.title, state: state, reason: reason)
        }
    }

    static func pauseReason(policy: Policy, status: String, paused: Bool) -> String {
        if status == "paused" {
            return "a plain pause (status paused) stops every clock of policy \(policy.name)"
        }
        guard let condition = policy.pause else {
            return "policy \(policy.name) has no 'pause while', so status \(status) does not stop its clocks; "
                + "only a plain pause (slad ticket pause --reason paused) does"
        }
        if paused {
            return "policy \(policy.name) pauses while \(condition), and the status is \(status)"
        }
        return "policy \(policy.name) pauses only while \(condition); status \(status) does not match, so the clock keeps running"
    }
}
