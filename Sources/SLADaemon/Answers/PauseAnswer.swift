import Foundation
import SLAEngine

extension API {
    /// `pause` in a ticket's answer while it is paused (or a `pause while` holds its clocks): which clocks
    /// stand still and which keep running, and why. A pause with a reason the policy's `pause while` does
    /// not name changes the status but not the clocks, and the operator must be told.
    static func pauseObject(_ ticket: Ticket, evaluation: Evaluation, engine: Engine, now: Instant) -> [String: Any]? {
        let paused = TicketStatus.pauseStatuses.contains(evaluation.status)
        let explanation = engine.pauseExplanation(ticket, evaluation: evaluation, at: now)
        guard paused || explanation.contains(where: { $0.state == "paused" }), !explanation.isEmpty else { return nil }
        return [
            "status": evaluation.status,
            "clocks": explanation.map { clock -> [String: Any] in
                ["name": clock.name, "title": clock.title ?? NSNull(), "state": clock.state, "reason": clock.reason]
            },
        ]
    }
}
