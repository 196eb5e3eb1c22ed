import Foundation
import SLAEngine

/// Why a ticket takes its policy, its clocks and steps (docs/openapi.yaml, `GET /v1/tickets/{id}/explain`): what `slad
/// explain --format json` prints and `GET /v1/tickets/{id}/explain` answers, with `rules` (the rules'
/// version) in the daemon's answer only.
struct ExplainAnswer: Encodable {
    let ticket: String
    let at: String
    let status: String
    let cycle: Int
    let policy: Nullable<String>
    let tried: [Trial]
    let clocks: [Clock]
    let steps: [Step]
    let nextDue: Nullable<String>
    /// Only when the rules have routes.
    let routing: Routing?
    var rules: String?

    init(_ explanation: Explanation, engine: Engine) {
        let evaluation = explanation.evaluation
        let zone = engine.displayZone
        func time(_ instant: Instant?) -> Nullable<String> { Nullable(instant.map { zone.format($0) }) }
        ticket = evaluation.ticketID
        at = zone.format(evaluation.now)
        status = evaluation.status
        cycle = evaluation.cycle
        policy = Nullable(evaluation.policy)
        tried = explanation.tried.map { Trial(policy: $0.policy, matched: $0.matched, reasoning: $0.reasoning) }
        clocks = evaluation.clocks.map { clock in
            Clock(name: clock.name, state: clock.state.rawValue, started: time(clock.startedAt), stopped: time(clock.stoppedAt),
                  stoppedBy: Nullable(clock.stoppedBy?.rawValue), deadline: time(clock.deadline), budgetSeconds: clock.budget,
                  usedSeconds: clock.consumed, workingTime: clock.countsWorkingTime, beyondCalendarData: clock.beyondCalendarData,
                  wallSecondsLeft: Nullable(clock.wallRemaining(at: evaluation.now)))
        }
        steps = explanation.steps.map { step in
            Step(step: step.key, clock: step.clock, state: step.state.rawValue, at: time(step.at), targets: step.targets.map(\.description),
                 channels: step.channels,
                 recipients: step.recipients.deliveries.map { Step.Recipients(channel: $0.channel, people: $0.recipients.map(\.person)) },
                 unreached: step.recipients.unreached.map(\.description), reason: Nullable(step.reason))
        }
        nextDue = time(evaluation.nextDue)
        routing = explanation.routing.map(Routing.init)
    }

    struct Trial: Encodable {
        let policy: String
        let matched: Bool
        let reasoning: String
    }

    struct Clock: Encodable {
        let name: String
        let state: String
        let started: Nullable<String>
        let stopped: Nullable<String>
        let stoppedBy: Nullable<String>
        let deadline: Nullable<String>
        let budgetSeconds: Int
        let usedSeconds: Int
        let workingTime: Bool
        let beyondCalendarData: Bool
        let wallSecondsLeft: Nullable<Int>
    }

    struct Step: Encodable {
        let step: String
        let clock: String
        let state: String
        let at: Nullable<String>
        let targets: [String]
        let channels: [String]
        let recipients: [Recipients]
        let unreached: [String]
        let reason: Nullable<String>

        struct Recipients: Encodable {
            let channel: String
            let people: [String]
        }
    }

    /// How the ticket was routed when it came: the route that took it (null when none did), each route
    /// tried before it, and a model route's prediction.
    struct Routing: Encodable {
        let arrivedAssigned: Bool
        let route: Nullable<String>
        let assignee: Nullable<String>
        let tried: [Trial]
        /// Only for a model route.
        let prediction: Prediction?

        init(_ routing: RouteExplanation) {
            arrivedAssigned = routing.arrivedAssigned
            route = Nullable(routing.route)
            assignee = Nullable(routing.assignee)
            tried = routing.trials.map { Trial(route: $0.route, outcome: $0.outcome, reasoning: $0.reasoning, detail: Nullable($0.detail)) }
            prediction = routing.prediction.map {
                Prediction(model: $0.path, label: $0.label, confidence: $0.confidence, threshold: $0.threshold, followed: $0.followed, note: $0.note)
            }
        }

        struct Trial: Encodable {
            let route: String
            let outcome: String
            let reasoning: String
            let detail: Nullable<String>
        }

        /// Floating-point numbers: an answer with a prediction is written by `JSONSerialization` (`API.json(answer:)`).
        struct Prediction: Encodable {
            let model: String
            let label: String
            let confidence: Double
            let threshold: Double
            let followed: Bool
            let note: String
        }
    }
}

/// `slad explain --format json`: the explanation, pretty, keys sorted (JSONSerialization's layout, as before).
public enum ExplainJSON {
    public static func render(_ explanation: Explanation, engine: Engine) -> String {
        let value = AnswerEncoder.value(ExplainAnswer(explanation, engine: engine))
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
