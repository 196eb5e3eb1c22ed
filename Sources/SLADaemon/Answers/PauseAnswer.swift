import Foundation
import SLAEngine

/// `pause` in a ticket's answer while it is paused (or a `pause while` holds its clocks): which clocks
/// stand still and which keep running, and why. A pause with a reason the policy's `pause while` does
/// not name changes the status but not the clocks, and the operator must be told.
struct PauseAnswer: Encodable {
    let status: String
    let clocks: [Clock]

    /// A clock and what the pause does to it (docs/openapi.yaml `Ticket`'s `pause`).
    struct Clock: Encodable {
        let name: String
        let title: Nullable<String>
        let state: String
        let reason: String
    }

    /// The pause, or nil when nothing is paused.
    init?(_ ticket: Ticket, evaluation: Evaluation, engine: Engine, now: Instant) {
        let paused = TicketStatus.pauseStatuses.contains(evaluation.status)
        let explanation = engine.pauseExplanation(ticket, evaluation: evaluation, at: now)
        guard paused || explanation.contains(where: { $0.state == "paused" }), !explanation.isEmpty else { return nil }
        status = evaluation.status
        clocks = explanation.map { Clock(name: $0.name, title: Nullable($0.title), state: $0.state, reason: $0.reason) }
    }
}
