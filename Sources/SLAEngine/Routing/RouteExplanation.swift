import SLARules

/// How a ticket came to its first assignee, for `slad explain`: the route that took it and, for each
/// route before, why it did not (the condition with each comparison marked, or the target that reached
/// nobody); for a model route, the prediction.
public struct RouteExplanation: Sendable, Hashable {
    public struct Trial: Sendable, Hashable {
        public let route: String
        public let title: String?
        /// "condition", "nobody" or "took".
        public let outcome: String
        /// The `when` with each comparison marked ✓ or ✗.
        public let reasoning: String
        /// Why a matching route reached nobody, or how the one that took the ticket found its person.
        public let detail: String?
    }

    /// The ticket came with an assignee: it was not routed.
    public let arrivedAssigned: Bool
    /// The route named by the `assigned` event's actor (`route:NAME`); nil when no route took the ticket.
    public let route: String?
    public let assignee: String?
    public let trials: [Trial]
    public let prediction: ModelVerdict?
}

/// A workload that knows nothing: explaining replays the conditions and the targets' reach, not the
/// counts (the person chosen is the one the `assigned` event recorded).
struct EmptyWorkload: RouteWorkload {
    func openTickets(of person: String) -> Int { 0 }
    func lastPerson(of team: String) -> String? { nil }
}

extension Engine {
    /// Nil when the rules have no routes.
    public func explainRouting(_ ticket: Ticket) -> RouteExplanation? {
        guard hasRoutes else { return nil }
        guard needsRoute(ticket) || routedEvent(of: ticket) != nil else {
            return RouteExplanation(arrivedAssigned: true, route: nil, assignee: nil, trials: [], prediction: nil)
        }
        let recorded = routedEvent(of: ticket)
        let routeName = recorded.flatMap { $0.actor.map { String($0.dropFirst("route:".count)) } }
        let decision = route(ticket.fields, at: ticket.createdAt, workload: EmptyWorkload())
        var trials: [RouteExplanation.Trial] = []
        for trial in decision.trials {
            guard let route = router.routes.first(where: { $0.name == trial.route }) else { continue }
            let reasoning = Self.reason(route.match, fields: ticket.fields, status: "open")
            let isRecorded = trial.route == routeName
            switch trial.outcome {
            case .conditionFailed:
                trials.append(.init(route: route.name, title: route.title, outcome: "condition", reasoning: reasoning, detail: nil))
            case let .reachedNobody(why):
                trials.append(.init(route: route.name, title: route.title, outcome: isRecorded ? "took" : "nobody", reasoning: reasoning, detail: why))
            case let .took(how):
                trials.append(.init(route: route.name, title: route.title, outcome: "took", reasoning: reasoning,
                                    detail: isRecorded || routeName == nil ? how : "\(how) today; the ticket was routed by '\(routeName!)' when it came"))
            }
            if isRecorded { break }
        }
        return RouteExplanation(arrivedAssigned: false, route: routeName, assignee: recorded?.changes?["assignee"], trials: trials,
                                prediction: decision.prediction)
    }

    /// The `assigned` event a route recorded at the ticket's creation.
    func routedEvent(of ticket: Ticket) -> TicketEventRecord? {
        ticket.events.first { $0.kind == .assigned && $0.at == ticket.createdAt && ($0.actor?.hasPrefix("route:") ?? false) }
    }
}
