import Foundation
import SLAEngine

/// The JSON `slad explain --format json` prints, and the daemon's `GET /v1/tickets/{id}/explain` answers:
/// the same facts as the text, for tools.
public enum ExplainJSON {
    public static func render(_ explanation: Explanation, engine: Engine) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object(explanation, engine: engine),
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The document as a JSON-ready object, for the daemon to answer with.
    public static func object(_ explanation: Explanation, engine: Engine) -> [String: Any] {
        let evaluation = explanation.evaluation
        let zone = engine.displayZone
        func time(_ instant: Instant?) -> Any { instant.map { zone.format($0) } ?? NSNull() }
        var object: [String: Any] = [
            "ticket": evaluation.ticketID,
            "at": zone.format(evaluation.now),
            "status": evaluation.status,
            "cycle": evaluation.cycle,
            "policy": evaluation.policy ?? NSNull(),
            "tried": explanation.tried.map { ["policy": $0.policy, "matched": $0.matched, "reasoning": $0.reasoning] },
            "clocks": evaluation.clocks.map { clock -> [String: Any] in
                ["name": clock.name, "state": clock.state.rawValue, "started": time(clock.startedAt),
                 "stopped": time(clock.stoppedAt), "stoppedBy": clock.stoppedBy.map { $0.rawValue as Any } ?? NSNull(), "deadline": time(clock.deadline), "budgetSeconds": clock.budget,
                 "usedSeconds": clock.consumed, "workingTime": clock.countsWorkingTime,
                 "beyondCalendarData": clock.beyondCalendarData,
                 "wallSecondsLeft": clock.wallRemaining(at: evaluation.now).map { $0 as Any } ?? NSNull()]
            },
            "steps": explanation.steps.map { step -> [String: Any] in
                ["step": step.key, "clock": step.clock, "state": step.state.rawValue, "at": time(step.at),
                 "targets": step.targets.map(\.description), "channels": step.channels,
                 "recipients": step.recipients.deliveries.map { delivery in
                     ["channel": delivery.channel, "people": delivery.recipients.map(\.person)] as [String: Any]
                 },
                 "unreached": step.recipients.unreached.map(\.description),
                 "reason": step.reason ?? NSNull()]
            },
            "nextDue": time(evaluation.nextDue),
        ]
        if let routing = explanation.routing { object["routing"] = Self.routing(routing) }
        return object
    }
}
