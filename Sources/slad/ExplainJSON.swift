import Foundation
import SLAEngine

/// The JSON `slad explain --format json` prints: the same facts as the text, for tools.
enum ExplainJSON {
    static func render(_ explanation: Explanation, engine: Engine) -> String {
        let evaluation = explanation.evaluation
        let zone = engine.displayZone
        func time(_ instant: Instant?) -> Any { instant.map { zone.format($0) } ?? NSNull() }
        let object: [String: Any] = [
            "ticket": evaluation.ticketID,
            "at": zone.format(evaluation.now),
            "status": evaluation.status,
            "cycle": evaluation.cycle,
            "policy": evaluation.policy ?? NSNull(),
            "tried": explanation.tried.map { ["policy": $0.policy, "matched": $0.matched, "reasoning": $0.reasoning] },
            "clocks": evaluation.clocks.map { clock -> [String: Any] in
                ["name": clock.name, "state": clock.state.rawValue, "started": time(clock.startedAt),
                 "stopped": time(clock.stoppedAt), "deadline": time(clock.deadline), "budgetSeconds": clock.budget,
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
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
